using System.Text;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Handlers;

/// <summary>
/// Translates between RADIUS and the OTP engine: PAP User-Password and State in, Access-Accept/Reject/Challenge
/// with State and Reply-Message out. Everything about tokens and mail stays in the engine.
/// </summary>
internal sealed class OtpAccessRequestHandler : IAccessRequestHandler
{
    // MS-CHAP attributes are Microsoft vendor-specific attributes (RFC 2548, vendor 311).
    private const uint MicrosoftVendorId = 311;
    // RFC 2865 §3: no RADIUS packet is longer.
    private const int MaxPacketLength = 4096;
    private readonly OtpEngine _engine;
    private readonly ILogger _logger;
    private ReplyAttributeResolver _replyAttributes;
    private readonly LogRateLimiter _secretHints;
    private readonly StoreAvailability _store;

    public OtpAccessRequestHandler(
        OtpEngine engine, ILogger logger, TimeProvider? time = null, ReplyAttributeResolver? replyAttributes = null, StoreAvailability? store = null)
    {
        _engine = engine;
        _logger = logger;
        _secretHints = new LogRateLimiter(time ?? TimeProvider.System, TimeSpan.FromMinutes(1));
        _replyAttributes = replyAttributes ?? ReplyAttributeResolver.Empty;
        _store = store ?? new StoreAvailability(logger, time ?? TimeProvider.System);
    }

    /// <summary>The reply attributes of policies and clients; a reload swaps them for new requests.</summary>
    public ReplyAttributeResolver ReplyAttributes
    {
        get => Volatile.Read(ref _replyAttributes);
        set => Volatile.Write(ref _replyAttributes, value);
    }

    public async Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
    {
        var packet = request.Packet;
        var userName = packet.GetString(RadiusAttributeType.UserName);
        if (string.IsNullOrEmpty(userName))
        {
            return Incorrect(request, "<no User-Name>", "no User-Name");
        }

        var shownUser = Sanitize(userName);
        if (!packet.Has(RadiusAttributeType.UserPassword) || IsNonPap(packet))
        {
            return Incorrect(request, shownUser, "e-mail OTP needs PAP; CHAP, MS-CHAP and EAP are not supported");
        }

        var password = request.DecodePassword(out var notText);
        if (notText)
        {
            // Never the engine's business: a failcount raised by a misconfigured NAS (or a stranger without the secret)
            // would lock real users out.
            if (_secretHints.ShouldLog(request.Client.Name, out var suppressed))
            {
                AuthLog.PasswordNotText(_logger, request.Client.Name, suppressed);
            }

            return Incorrect(request, shownUser, "User-Password does not decode to text (wrong shared secret?)");
        }

        if (password is null)
        {
            return Incorrect(request, shownUser, "malformed User-Password");
        }

        var state = packet.Find(RadiusAttributeType.State)?.Value ?? ReadOnlyMemory<byte>.Empty;
        AuthenticationResult result;
        try
        {
            result = await _engine.AuthenticateAsync(
                new AuthenticationRequest(userName, password, state, request.Client.Name, request.Source.Address, request.Client.Settings.ChallengeMode)
                {
                    AnswerBy = request.AnswerBy,
                    SendWait = request.Client.Settings.SendWait,
                    ReplyFits = text => ChallengeFits(packet, text),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            // The database is down or failing over (after the store's one retry): a Reject now, the NAS or the user tries
            // again; never a dropped packet the NAS would retransmit into the same outage.
            _store.Unavailable(ex.Message);
            return Incorrect(request, shownUser, "store unavailable");
        }
        catch (StorageException ex)
        {
            _store.Failed(ex.Message);
            return Incorrect(request, shownUser, "store error");
        }

        _store.Available("a request was answered from the store");
        return ToResponse(request, shownUser, result);
    }

    /// <summary>The largest reply a mail can lead to: Access-Challenge with State, Session-Timeout and the prompt (a reject-mode reply is smaller).</summary>
    private static bool ChallengeFits(RadiusPacket request, string text)
    {
        var draft = new RadiusResponse(RadiusCode.AccessChallenge);
        draft.Attributes.Add(new RadiusAttribute(RadiusAttributeType.State, new byte[OtpEngine.StateLength]));
        draft.Attributes.Add(new RadiusAttribute(RadiusAttributeType.SessionTimeout, new byte[4]));
        draft.ReplyMessages.Add(text);
        return ReplyEncoder.Fits(draft, request);
    }

    private static bool IsNonPap(RadiusPacket packet)
    {
        if (packet.Has(RadiusAttributeType.ChapPassword) || packet.Has(RadiusAttributeType.EapMessage))
        {
            return true;
        }

        foreach (var vsa in packet.FindAll(RadiusAttributeType.VendorSpecific))
        {
            var value = vsa.Value.Span;
            if (value.Length >= 4 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(value) == MicrosoftVendorId)
            {
                return true;
            }
        }

        return false;
    }

    private RadiusResponse? ToResponse(RadiusRequestContext request, string userName, AuthenticationResult result)
    {
        var (client, port, cli) = Origin(request);
        RadiusResponse response;
        switch (result.Outcome)
        {
            case AuthenticationOutcome.Drop:
                // Out of time before any mail: no answer at all (the server counts and logs it as shed, rate-limited).
                return null;
            case AuthenticationOutcome.Accept:
                return Accept(request, userName, result, client, port, cli);
            case AuthenticationOutcome.Challenge:
                response = new RadiusResponse(RadiusCode.AccessChallenge);
                response.Attributes.Add(new RadiusAttribute(RadiusAttributeType.State, result.State ?? []));
                if (result.SessionTimeout is { } timeout)
                {
                    // RFC 2865 §5.27: in an Access-Challenge, how long the NAS should wait for the user's answer.
                    var seconds = new byte[4];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(seconds, (uint)Math.Max(1, timeout.TotalSeconds));
                    response.Attributes.Add(new RadiusAttribute(RadiusAttributeType.SessionTimeout, seconds));
                }

                LogChallenge(request, userName, result, client, port, cli);
                break;
            default:
                response = new RadiusResponse(RadiusCode.AccessReject);
                if (result.MailStep != MailStep.None)
                {
                    // Reject mode: the NAS shows the prompt and the user logs in again with PIN+OTP.
                    LogChallenge(request, userName, result, client, port, cli);
                }
                else
                {
                    AuthLog.LoginIncorrect(_logger, request.Number, result.Reason, userName, client, port, cli);
                }

                break;
        }

        response.ReplyMessages.AddRange(result.ReplyMessages);
        return response;
    }

    /// <summary>
    /// The Access-Accept with the reply attributes of the winning policy and the client. One that cannot be sent (a filled-in
    /// value too long for its attribute, or a packet past 4096 octets) becomes an Access-Reject with a warning: a NAS that
    /// got the Accept without its group or profile attributes could grant the wrong access.
    /// </summary>
    private RadiusResponse Accept(RadiusRequestContext request, string userName, AuthenticationResult result, string client, string port, string cli)
    {
        var response = new RadiusResponse(RadiusCode.AccessAccept);
        response.ReplyMessages.AddRange(result.ReplyMessages);
        var reply = ReplyAttributes.Resolve(result.User, result.Realm, result.Resolver, request.Source.Address, request.Client.Name);
        var problem = reply.Problem;
        if (problem is null)
        {
            response.Attributes.AddRange(reply.Attributes);
            var length = ReplyEncoder.MeasureLength(response, request.Packet);
            problem = length > MaxPacketLength ? $"the reply would be {length} octets, more than the {MaxPacketLength} of a RADIUS packet" : null;
        }

        if (problem is not null)
        {
            var owner = reply.Policy is null ? $"client {client}" : $"policy {reply.Policy} and client {client}";
            AuthLog.ReplyAttributesFailed(_logger, request.Number, userName, problem, owner, client, port, cli);
            AuthLog.LoginIncorrect(_logger, request.Number, "reply attributes do not fit", userName, client, port, cli);
            return RadiusResponse.Reject();
        }

        AuthLog.LoginOk(_logger, request.Number, userName, client, port, cli);
        return response;
    }

    private void LogChallenge(RadiusRequestContext request, string userName, AuthenticationResult result, string client, string port, string cli)
    {
        var serials = string.Join(",", result.Serials);
        switch (result.MailStep)
        {
            case MailStep.AlreadyMailed:
                // The blocking window returned the open challenge's State: no mail left, so the line must not say one did.
                AuthLog.ChallengeRepeated(_logger, request.Number, result.Reason, userName, serials, client, port, cli);
                break;
            case MailStep.Mailed:
                AuthLog.ChallengeSent(_logger, request.Number, userName, result.Provider ?? "?", serials, client, port, cli);
                break;
            default:
                AuthLog.ChallengePending(_logger, request.Number, result.Reason, userName, client, port, cli);
                break;
        }
    }

    private RadiusResponse Incorrect(RadiusRequestContext request, string userName, string reason)
    {
        var (client, port, cli) = Origin(request);
        AuthLog.LoginIncorrect(_logger, request.Number, reason, userName, client, port, cli);
        return RadiusResponse.Reject();
    }

    private static (string Client, string Port, string Cli) Origin(RadiusRequestContext request)
    {
        var packet = request.Packet;
        var nasPort = packet.Find(RadiusAttributeType.NasPort) is { Value.Length: 4 } p
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(p.Value.Span).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "0";
        var callingStation = packet.GetString(RadiusAttributeType.CallingStationId);
        return (request.Client.Name, nasPort, string.IsNullOrEmpty(callingStation) ? string.Empty : " cli " + Sanitize(callingStation));
    }

    // Calling-Station-Id comes from the network: keep log lines on one line and printable.
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
