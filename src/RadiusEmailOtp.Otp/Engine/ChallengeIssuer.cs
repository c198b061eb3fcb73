using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// Starts a challenge for tokens whose PIN matched: blocking check, a fresh counter per token committed before the
/// OTP exists outside the process, one mail per token, and a reply after at most <c>send_wait</c>.
/// The caller holds the user's lock, so the blocking check and the insert are atomic within this process.
/// Bound to the configuration of the request it serves (settings, policies, providers).
/// </summary>
internal sealed class ChallengeIssuer(
    IOtpStore store,
    TokenProtector protector,
    EngineConfiguration configuration,
    TimeProvider timeProvider,
    IRandomSource random,
    DeliveryTracker deliveries,
    ILogger logger)
{
    // 128 bits from the CSPRNG; base64url keeps it printable ASCII (some NAS cut State at a NUL byte).
    private const int StateBytes = 16;
    private const int CounterRetries = 5;

    // The directory's current address of the user, for tokens without a fixed one (read once per request, at send time).
    private string? _directoryAddress;

    public async Task<AuthenticationResult> IssueAsync(
        UserIdentity identity,
        AuthenticationRequest request,
        IReadOnlyList<EmailToken> tokens,
        IReadOnlyList<OtpChallenge>? openAsRead,
        DirectoryUser? directory,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var serials = tokens.Select(t => t.Serial).ToList();
        // The engine passes the open challenges it has just read under the user's lock when it wrote nothing since, so
        // the PIN step reads them once; otherwise (a wrong answer may have closed one) they are read afresh.
        var open = openAsRead is null
            ? await store.GetOpenChallengesAsync(serials, now, cancellationToken).ConfigureAwait(false)
            : [.. openAsRead.Where(c => serials.Contains(c.Serial) && c.Status == ChallengeStatus.Open && c.Expires > now)];
        var recent = Recent(open, request, now);
        if (recent is not null)
        {
            // The prompt names the address the code went to: the directory's current one for a token without a fixed one.
            if (directory is not null && tokens.Any(t => t.UsesDirectoryAddress))
            {
                _directoryAddress = (await directory.Resolver.ReadEmailAsync(directory.User, cancellationToken).ConfigureAwait(false)).User?.Email;
            }

            return AlreadySent(identity, request, tokens, recent, open, now, "already sent");
        }

        // max_mails_per_window: whatever the otppin mode, a token gets only so many mails (no mail bombing).
        var mailable = await WithinMailLimitAsync(tokens, now, cancellationToken).ConfigureAwait(false);
        if (mailable.Count == 0)
        {
            EngineLog.MailLimitReached(logger, identity.User, identity.Realm, configuration.Settings.MaxMailsPerWindow, (long)configuration.Settings.MailWindow.TotalSeconds);
            var newest = open
                .Where(c => !configuration.Settings.BindStateToClient || c.Client == request.ClientName)
                .OrderByDescending(c => c.Created)
                .FirstOrDefault();
            return newest is not null
                ? AlreadySent(identity, request, tokens, newest, open, now, "mail limit reached")
                : OtpEngine.Result(AuthenticationOutcome.Reject, identity, "mail limit reached", [configuration.Settings.SendFailedMessage], serials);
        }

        tokens = mailable;
        if (tokens.Any(t => t.UsesDirectoryAddress))
        {
            var addressed = await WithDirectoryAddressAsync(identity, tokens, directory, cancellationToken).ConfigureAwait(false);
            if (addressed is null)
            {
                return OtpEngine.Result(AuthenticationOutcome.Reject, identity, RejectReason.DirectoryUnavailable, [configuration.Settings.SendFailedMessage], serials);
            }

            if (addressed.Count == 0)
            {
                return OtpEngine.Result(AuthenticationOutcome.Reject, identity, RejectReason.NoAddress, [configuration.Settings.SendFailedMessage], serials);
            }

            tokens = addressed;
        }

        serials = [.. tokens.Select(t => t.Serial)];
        var route = configuration.RouteSelector.Select(
            identity.User, identity.Realm, directory?.Resolver.Name ?? EmailToken.LocalResolver, request.ClientAddress);
        if (request.ReplyFits is { } fits && !fits(RenderReply(route, request, identity, tokens)))
        {
            EngineLog.ReplyTooLarge(logger, identity.User, identity.Realm);
            return OtpEngine.Result(AuthenticationOutcome.Reject, identity, "reply too large", [configuration.Settings.SendFailedMessage], serials);
        }

        // The point of no return: once a counter moves, a mail goes out and its reply must follow. A request whose answer
        // would come too late stops here, with nothing written and nothing mailed; the NAS's retransmit starts afresh.
        if (timeProvider.GetUtcNow() >= request.AnswerBy)
        {
            return OtpEngine.Result(AuthenticationOutcome.Drop, identity, "out of time before mailing", [], serials);
        }

        var state = NewState();
        var issued = new List<(EmailToken Token, OtpChallenge Challenge, string Otp)>();
        foreach (var token in tokens)
        {
            var (created, blockedBy) = await CreateChallengeAsync(identity, request, token, state, now, cancellationToken).ConfigureAwait(false);
            if (created is not null)
            {
                issued.Add(created.Value);
            }
            else if (blockedBy is not null && issued.Count == 0)
            {
                // Another request (on this node or another) mailed first, after this one read the open challenges: one
                // mail, and this request is answered with the winner's State as a retransmit of it would be.
                var current = await store.GetOpenChallengesAsync(serials, now, cancellationToken).ConfigureAwait(false);
                return AlreadySent(identity, request, tokens, blockedBy, current, now, "already sent");
            }
        }

        if (issued.Count == 0)
        {
            return OtpEngine.Result(AuthenticationOutcome.Reject, identity, "token unusable", [configuration.Settings.SendFailedMessage], serials);
        }

        var sends = issued
            // Each delivery holds the configuration too: a reload closes its providers only after the last mail through them.
            .Select(i => deliveries.Track(() => configuration.HoldWhileAsync(() => DeliverAsync(i.Token, i.Challenge, i.Otp, route, request))))
            .ToArray();
        var all = Task.WhenAll(sends);
        // Past AnswerBy the reply is late already: send it at once (delivery pending) rather than wait out send_wait.
        var left = request.AnswerBy - timeProvider.GetUtcNow();
        var sendWait = request.SendWait ?? configuration.Settings.SendWait;
        var wait = left < sendWait ? left : sendWait;
        await WaitAtMostAsync(all, wait, cancellationToken).ConfigureAwait(false);

        var issuedSerials = issued.Select(i => i.Token.Serial).ToList();
        var mailedTokens = issued.Select(i => i.Token).ToList();
        string? provider = null;
        var step = MailStep.Mailed;
        if (all.IsCompletedSuccessfully)
        {
            var results = all.Result;
            if (results.All(r => !r.Accepted && !r.Unknown))
            {
                return OtpEngine.Result(
                    AuthenticationOutcome.Reject, identity, "send failed", [configuration.Settings.SendFailedMessage], issuedSerials, provider: results[^1].Provider);
            }

            // A mail of unknown outcome may have arrived: its code stays answerable, so the prompt asks for it.
            mailedTokens = [.. issued.Where((_, index) => results[index].Accepted || results[index].Unknown).Select(i => i.Token)];
            provider = (results.FirstOrDefault(r => r.Accepted) ?? results.First(r => r.Unknown)).Provider;
        }
        else
        {
            step = MailStep.MailPending;
        }

        var reason = step == MailStep.Mailed ? "challenge sent" : "challenge sent, delivery pending";

        var mailedSerials = mailedTokens.Select(t => t.Serial).ToList();
        var text = RenderReply(route, request, identity, mailedTokens);
        if (request.ChallengeMode == ChallengeMode.Challenge)
        {
            return OtpEngine.Result(
                AuthenticationOutcome.Challenge, identity, reason, [text], mailedSerials, Encoding.ASCII.GetBytes(state), provider, configuration.Settings.ChallengeValidity, step);
        }

        // Reject mode: no State to answer, so the message tells the user how to log in with the code.
        return OtpEngine.Result(AuthenticationOutcome.Reject, identity, reason, [text], mailedSerials, provider: provider, mailStep: step);
    }

    private string RenderReply(EmailRoute route, AuthenticationRequest request, UserIdentity identity, IReadOnlyList<EmailToken> mailed)
    {
        if (_directoryAddress is not null)
        {
            mailed = [.. mailed.Select(WithAddress)];
        }

        return request.ChallengeMode == ChallengeMode.Challenge
            ? PromptRenderer.Render(route.ChallengePrompt ?? configuration.Settings.ChallengePrompt, identity, mailed, configuration.Settings.ChallengeValidity)
            : PromptRenderer.Render(configuration.Settings.RejectModeMessage, identity, mailed, configuration.Settings.ChallengeValidity);
    }

    /// <summary>
    /// The tokens with the directory's current address in place of "none fixed" (issue 9: read at send time, never
    /// cached); tokens that have no address to go to are left out (and logged). Null when the directory cannot be asked.
    /// </summary>
    private async Task<List<EmailToken>?> WithDirectoryAddressAsync(
        UserIdentity identity, IReadOnlyList<EmailToken> tokens, DirectoryUser? directory, CancellationToken cancellationToken)
    {
        if (directory is not null)
        {
            var read = await directory.Resolver.ReadEmailAsync(directory.User, cancellationToken).ConfigureAwait(false);
            if (read.Status == UserLookupStatus.Unavailable)
            {
                return null;
            }

            _directoryAddress = read.User?.Email;
        }

        if (_directoryAddress is null)
        {
            EngineLog.NoDirectoryAddress(logger, identity.User, identity.Realm, directory is null ? "no resolver of the realm" : "resolver " + directory.Resolver.Name);
        }

        return [.. tokens.Select(WithAddress).Where(t => !t.UsesDirectoryAddress)];
    }

    private EmailToken WithAddress(EmailToken token) =>
        token.UsesDirectoryAddress && _directoryAddress is { } address ? token with { Email = address } : token;

    private async Task<IReadOnlyList<EmailToken>> WithinMailLimitAsync(IReadOnlyList<EmailToken> tokens, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mails = await store.CountMailsSinceAsync([.. tokens.Select(t => t.Serial)], now - configuration.Settings.MailWindow, cancellationToken).ConfigureAwait(false);
        return [.. tokens.Where(t => mails.GetValueOrDefault(t.Serial) < configuration.Settings.MaxMailsPerWindow)];
    }

    private AuthenticationResult AlreadySent(
        UserIdentity identity,
        AuthenticationRequest request,
        IReadOnlyList<EmailToken> tokens,
        OtpChallenge recent,
        IReadOnlyList<OtpChallenge> open,
        DateTimeOffset now,
        string reason)
    {
        var serials = open.Where(c => c.State == recent.State).Select(c => c.Serial).ToList();
        var mailed = tokens.Where(t => serials.Contains(t.Serial)).Select(WithAddress).ToList();
        var left = recent.Expires - now;
        // The prompt still asks for the code (the one already mailed); reject mode says how to log in with it.
        var message = request.ChallengeMode == ChallengeMode.Challenge
            ? PromptRenderer.Render(configuration.Settings.AlreadySentPrompt, identity, mailed, left)
            : PromptRenderer.Render(configuration.Settings.RejectModeMessage, identity, mailed, left);
        return request.ChallengeMode == ChallengeMode.Challenge
            ? OtpEngine.Result(
                AuthenticationOutcome.Challenge,
                identity,
                reason,
                [message],
                serials,
                Encoding.ASCII.GetBytes(recent.State),
                recent.Provider,
                recent.Expires - now,
                MailStep.AlreadyMailed)
            : OtpEngine.Result(
                AuthenticationOutcome.Reject, identity, reason, [message], serials, provider: recent.Provider, mailStep: MailStep.AlreadyMailed);
    }

    // The open challenge that holds back a new mail: one inside the blocking window whose mail may have left (a delivery
    // interrupted by a restart may never have, and must not hold back the next mail), from this NAS when State is bound
    // to it (a State bound to another NAS could not be answered here: a login at a second NAS is a login of its own).
    private OtpChallenge? Recent(IEnumerable<OtpChallenge> open, AuthenticationRequest request, DateTimeOffset now) => open
        .Where(c => c.Created > now - configuration.Settings.BlockingTimeout && c.Delivery is DeliveryStatus.Pending or DeliveryStatus.Accepted or DeliveryStatus.Unknown)
        .Where(c => !configuration.Settings.BindStateToClient || c.Client == request.ClientName)
        .OrderByDescending(c => c.Created)
        .FirstOrDefault();

    // The same rules, for the store to check in the step that advances the counter (so they hold across nodes).
    private ChallengeGuard Guard(AuthenticationRequest request, DateTimeOffset now) => new(
        now - configuration.Settings.BlockingTimeout,
        configuration.Settings.BindStateToClient ? request.ClientName : null,
        now - configuration.Settings.MailWindow,
        configuration.Settings.MaxMailsPerWindow);

    // The challenge created, or the open one of another request that won the race for this token (null for both when
    // the token is unusable or the counter kept moving).
    private async Task<((EmailToken, OtpChallenge, string)? Created, OtpChallenge? BlockedBy)> CreateChallengeAsync(
        UserIdentity identity, AuthenticationRequest request, EmailToken token, string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!protector.TryOpenSeed(token, out var seed))
        {
            EngineLog.SeedUnreadable(logger, token.Serial);
            return (null, null);
        }

        try
        {
            var current = token;
            for (var i = 0; i < CounterRetries && current is { Active: true }; i++)
            {
                var draft = new OtpChallenge(
                    0, state, current.Serial, current.Counter, identity.User, identity.Realm, request.ClientName,
                    now, now + configuration.Settings.ChallengeValidity, ChallengeStatus.Open, 0, DeliveryStatus.Pending, null, null, null);

                // The counter is advanced and committed here, before the OTP is computed for the mail: a crash after
                // this point can lose a mail but never re-mail the same OTP.
                var stored = await store.TryCreateChallengeAsync(draft, Guard(request, now), cancellationToken).ConfigureAwait(false);
                if (stored is not null)
                {
                    return ((current, stored, Hotp.Compute(seed, current.Hash, current.OtpLength, stored.Counter)), null);
                }

                // Lost: a concurrent request (maybe on another node) moved the counter, or mailed first (the guard).
                var recent = Recent(await store.GetOpenChallengesAsync([token.Serial], now, cancellationToken).ConfigureAwait(false), request, now);
                if (recent is not null)
                {
                    return (null, recent);
                }

                current = await store.GetTokenAsync(token.Serial, cancellationToken).ConfigureAwait(false);
            }

            EngineLog.CounterContention(logger, token.Serial);
            return (null, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private async Task<MailDeliveryResult> DeliverAsync(
        EmailToken token, OtpChallenge challenge, string otp, EmailRoute route, AuthenticationRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        MailDeliveryResult result;
        try
        {
            // Not the request's token: the delivery may outlive the reply; shutdown awaits it through DrainAsync.
            var mail = new OtpMailRequest(token.Serial, token.User, token.Realm, WithAddress(token).Email, otp, configuration.Settings.ChallengeValidity, request.ClientAddress);
            result = await configuration.MailSender.SendAsync(mail, route, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = new MailDeliveryResult(false, route.Providers.LastOrDefault(), null, null, ex.GetType().Name + ": " + ex.Message, Stopwatch.GetElapsedTime(started));
        }

        try
        {
            var outcome = result.Accepted ? DeliveryStatus.Accepted : result.Unknown ? DeliveryStatus.Unknown : DeliveryStatus.Failed;
            await store.RecordDeliveryAsync(
                    challenge.Id, outcome, result.Provider, result.MessageId, result.Error, result.Duration, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EngineLog.DeliveryRecordFailed(logger, challenge.Id, ex);
        }

        if (result.Accepted)
        {
            EngineLog.MailSent(logger, token.Serial, token.User, token.Realm, result.Provider, result.MessageId, (long)result.Duration.TotalMilliseconds);
        }
        else if (result.Unknown)
        {
            EngineLog.MailUnknown(logger, token.Serial, token.User, token.Realm, result.Provider, result.Error);
        }
        else
        {
            EngineLog.MailFailed(logger, token.Serial, token.User, token.Realm, result.Provider, result.Error);
        }

        return result;
    }

    private async Task WaitAtMostAsync(Task task, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (task.IsCompleted || wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, timeProvider, timeout.Token);
        await Task.WhenAny(task, delay).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private string NewState()
    {
        Span<byte> bytes = stackalloc byte[StateBytes];
        random.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
