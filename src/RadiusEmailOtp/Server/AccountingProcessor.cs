using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The path of one datagram on an accounting port (RFC 2866): client lookup, codec checks, Request Authenticator,
/// duplicate cache, then a log line, the optional detail record and an Accounting-Response. Status-Server is answered
/// with Accounting-Response (RFC 5997 §3). Runs on the receive loop: nothing here waits on anything but the detail file.
/// </summary>
internal sealed class AccountingProcessor
{
    private const byte AcctStatusType = 40;
    private const byte AcctSessionId = 44;

    private readonly PacketIntake _intake;
    private readonly DuplicateCache _duplicates;
    private readonly ServerCounters _counters;
    private readonly DetailWriter? _detail;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _logLimiter;
    private readonly PacketTracer? _tracer;
    private long _requestNumber;

    public AccountingProcessor(ServerOptions options, ClientRegistry clients, ServerCounters counters, DetailWriter? detail, TimeProvider time, ILogger logger)
    {
        _counters = counters;
        _detail = detail;
        _logger = logger;
        _duplicates = new DuplicateCache(time, options.CleanupDelay);
        _logLimiter = new LogRateLimiter(time, TimeSpan.FromSeconds(1));
        _tracer = options.Tracer;
        _intake = new PacketIntake(clients, counters, _logLimiter, logger, options.MaxAttributes, accounting: true, _tracer);
    }

    public void Process(ReadOnlySpan<byte> datagram, IPEndPoint source, IReplySink sink)
    {
        if (!_intake.TryAccept(datagram, source, sink, out var client, out _, out var packet))
        {
            return;
        }

        var secret = client.Settings.Secret;
        var hasMa = packet.Has(RadiusAttributeType.MessageAuthenticator);
        if (hasMa && !MessageAuthenticator.VerifyRequest(packet, secret))
        {
            Drop(client, source, "invalid Message-Authenticator (is the shared secret right?)");
            return;
        }

        if (packet.Code == RadiusCode.StatusServer && !hasMa)
        {
            Drop(client, source, "Status-Server without Message-Authenticator (RFC 5997 §3)");
            return;
        }

        if (packet.Code == RadiusCode.AccountingRequest && !RequestAuthenticator.VerifyAccountingStyle(packet.Raw.Span, secret))
        {
            // RFC 2866 §3: silently discard.
            Drop(client, source, "invalid Request Authenticator (is the shared secret right?)");
            return;
        }

        if (!_intake.TryClaim(_duplicates, packet, client, source, sink, out var claim))
        {
            return;
        }

        var number = Interlocked.Increment(ref _requestNumber);
        if (packet.Code == RadiusCode.StatusServer)
        {
            _counters.CountStatusServer();
        }
        else
        {
            LogRecord(number, packet, client);
            if (_detail is not null && !_detail.TryWrite(packet, source, sink.LocalEndPoint, out var error))
            {
                // FreeRADIUS does not acknowledge what it could not store: the NAS keeps the record and retransmits.
                _duplicates.Forget(claim);
                _counters.CountDrop("detail file not writable", accounting: true);
                if (_logLimiter.ShouldLog("detail", out var suppressed))
                {
                    ServerLog.DetailFailed(_logger, number, _detail.Path, error, suppressed);
                }

                return;
            }
        }

        byte[] reply;
        try
        {
            // An Accounting-Response to Status-Server carries Message-Authenticator (RFC 5997 §3); RFC 2866 has none.
            reply = ReplyEncoder.Encode(
                StatusServerStatistics.Answer(RadiusCode.AccountingResponse, packet, _counters), packet, secret, withMessageAuthenticator: packet.Code == RadiusCode.StatusServer);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            _duplicates.Forget(claim);
            Drop(client, source, "the reply would not fit in a RADIUS packet");
            return;
        }

        _duplicates.Complete(claim, reply);
        if (packet.Code == RadiusCode.AccountingRequest)
        {
            _counters.CountReply(RadiusCode.AccountingResponse);
        }

        _tracer?.Sent(reply, sink.LocalEndPoint, source);
        sink.Send(reply, source);
        ServerLog.Sent(_logger, number, Metrics.PacketNames.Of(RadiusCode.AccountingResponse), packet.Identifier, source.Address, source.Port, reply.Length);
    }

    public void Sweep() => _duplicates.Sweep();

    private void LogRecord(long number, RadiusPacket packet, RuntimeClient client)
    {
        var statusType = packet.Find(AcctStatusType) is { } s && s.Value.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(s.Value.Span) : 0u;
        var statusName = statusType switch
        {
            1 => "Start",
            2 => "Stop",
            3 => "Interim-Update",
            7 => "Accounting-On",
            8 => "Accounting-Off",
            0 => "without Acct-Status-Type",
            _ => statusType.ToString(CultureInfo.InvariantCulture),
        };
        var nasPort = packet.Find(RadiusAttributeType.NasPort) is { } p && p.Value.Length == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(p.Value.Span).ToString(CultureInfo.InvariantCulture)
            : "-";
        var nas = packet.Find(RadiusAttributeType.NasIpAddress) is { } ip && ip.Value.Length == 4
            ? new IPAddress(ip.Value.Span).ToString()
            : packet.GetString(RadiusAttributeType.NasIdentifier) ?? "-";
        ServerLog.Accounting(
            _logger,
            number,
            statusName,
            DetailWriter.Printable(packet.GetString(RadiusAttributeType.UserName) ?? ""),
            DetailWriter.Printable(packet.GetString(AcctSessionId) ?? ""),
            client.Name,
            nasPort,
            DetailWriter.Printable(nas));
    }

    private void Drop(RuntimeClient client, IPEndPoint source, string reason) => _intake.Drop(client, source, reason);
}
