using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// Starts a challenge for tokens whose PIN matched: blocking check, a fresh counter per token committed before the
/// OTP exists outside the process, one mail per token, and a reply after at most <c>send_wait</c>.
/// The caller holds the user's lock, so the blocking check and the insert are atomic within this process.
/// </summary>
internal sealed class ChallengeIssuer(
    IOtpStore store,
    TokenProtector protector,
    TimeProvider timeProvider,
    IRandomSource random,
    DeliveryTracker deliveries,
    ILogger logger)
{
    // 128 bits from the CSPRNG; base64url keeps it printable ASCII (some NAS cut State at a NUL byte).
    private const int StateBytes = 16;
    private const int CounterRetries = 5;

    public async Task<AuthenticationResult> IssueAsync(
        EngineConfiguration configuration,
        UserIdentity identity,
        AuthenticationRequest request,
        IReadOnlyList<EmailToken> tokens,
        IReadOnlyList<OtpChallenge>? openAsRead,
        CancellationToken cancellationToken)
    {
        var settings = configuration.Settings;
        var now = timeProvider.GetUtcNow();
        var serials = tokens.Select(t => t.Serial).ToList();
        // The engine passes the open challenges it has just read under the user's lock when it wrote nothing since, so
        // the PIN step reads them once; otherwise (a wrong answer may have closed one) they are read afresh.
        var open = openAsRead is null
            ? await store.GetOpenChallengesAsync(serials, now, cancellationToken).ConfigureAwait(false)
            : [.. openAsRead.Where(c => serials.Contains(c.Serial) && c.Status == ChallengeStatus.Open && c.Expires > now)];
        var recent = open
            // A delivery interrupted by a restart may never have left: it must not hold back the next mail.
            .Where(c => c.Created > now - settings.BlockingTimeout && c.Delivery is DeliveryStatus.Pending or DeliveryStatus.Accepted)
            // A State bound to another NAS could not be answered here: a login at a second NAS is a login of its own.
            .Where(c => !settings.BindStateToClient || c.Client == request.ClientName)
            .OrderByDescending(c => c.Created)
            .FirstOrDefault();
        if (recent is not null)
        {
            return AlreadySent(settings, identity, request, tokens, recent, open, now);
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
            var created = await CreateChallengeAsync(settings, identity, request, token, state, now, cancellationToken).ConfigureAwait(false);
            if (created is not null)
            {
                issued.Add(created.Value);
            }
        }

        if (issued.Count == 0)
        {
            return OtpEngine.Result(AuthenticationOutcome.Reject, identity, "token unusable", [settings.SendFailedMessage], serials);
        }

        var route = configuration.RouteSelector.Select(identity.User, identity.Realm, request.ClientAddress);
        var sends = issued
            // Each delivery holds the configuration too: a reload closes its providers only after the last mail through them.
            .Select(i => deliveries.Track(() => configuration.HoldWhileAsync(() => DeliverAsync(configuration, i.Token, i.Challenge, i.Otp, route, request))))
            .ToArray();
        var all = Task.WhenAll(sends);
        // Past AnswerBy the reply is late already: send it at once (delivery pending) rather than wait out send_wait.
        var left = request.AnswerBy - timeProvider.GetUtcNow();
        var sendWait = request.SendWait ?? settings.SendWait;
        var wait = left < sendWait ? left : sendWait;
        await WaitAtMostAsync(all, wait, cancellationToken).ConfigureAwait(false);

        var issuedSerials = issued.Select(i => i.Token.Serial).ToList();
        var mailedTokens = issued.Select(i => i.Token).ToList();
        string? provider = null;
        var step = MailStep.Mailed;
        if (all.IsCompletedSuccessfully)
        {
            var results = all.Result;
            if (results.All(r => !r.Accepted))
            {
                return OtpEngine.Result(
                    AuthenticationOutcome.Reject, identity, "send failed", [settings.SendFailedMessage], issuedSerials, provider: results[^1].Provider);
            }

            mailedTokens = [.. issued.Where((_, index) => results[index].Accepted).Select(i => i.Token)];
            provider = results.First(r => r.Accepted).Provider;
        }
        else
        {
            step = MailStep.MailPending;
        }

        var reason = step == MailStep.Mailed ? "challenge sent" : "challenge sent, delivery pending";

        var mailedSerials = mailedTokens.Select(t => t.Serial).ToList();
        if (request.ChallengeMode == ChallengeMode.Challenge)
        {
            var prompt = PromptRenderer.Render(route.ChallengePrompt ?? settings.ChallengePrompt, identity, mailedTokens, settings.ChallengeValidity);
            return OtpEngine.Result(
                AuthenticationOutcome.Challenge, identity, reason, [prompt], mailedSerials, Encoding.ASCII.GetBytes(state), provider, settings.ChallengeValidity, step);
        }

        // Reject mode: no State to answer, so the message tells the user how to log in with the code.
        var next = PromptRenderer.Render(settings.RejectModeMessage, identity, mailedTokens, settings.ChallengeValidity);
        return OtpEngine.Result(AuthenticationOutcome.Reject, identity, reason, [next], mailedSerials, provider: provider, mailStep: step);
    }

    private static AuthenticationResult AlreadySent(
        EmailTokenSettings settings,
        UserIdentity identity,
        AuthenticationRequest request,
        IReadOnlyList<EmailToken> tokens,
        OtpChallenge recent,
        IReadOnlyList<OtpChallenge> open,
        DateTimeOffset now)
    {
        var serials = open.Where(c => c.State == recent.State).Select(c => c.Serial).ToList();
        var mailed = tokens.Where(t => serials.Contains(t.Serial)).ToList();
        var left = recent.Expires - now;
        // The prompt still asks for the code (the one already mailed); reject mode says how to log in with it.
        var message = request.ChallengeMode == ChallengeMode.Challenge
            ? PromptRenderer.Render(settings.AlreadySentPrompt, identity, mailed, left)
            : PromptRenderer.Render(settings.RejectModeMessage, identity, mailed, left);
        return request.ChallengeMode == ChallengeMode.Challenge
            ? OtpEngine.Result(
                AuthenticationOutcome.Challenge,
                identity,
                "already sent",
                [message],
                serials,
                Encoding.ASCII.GetBytes(recent.State),
                recent.Provider,
                recent.Expires - now,
                MailStep.AlreadyMailed)
            : OtpEngine.Result(
                AuthenticationOutcome.Reject, identity, "already sent", [message], serials, provider: recent.Provider, mailStep: MailStep.AlreadyMailed);
    }

    private async Task<(EmailToken, OtpChallenge, string)?> CreateChallengeAsync(
        EmailTokenSettings settings,
        UserIdentity identity, AuthenticationRequest request, EmailToken token, string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!protector.TryOpenSeed(token, out var seed))
        {
            EngineLog.SeedUnreadable(logger, token.Serial);
            return null;
        }

        try
        {
            var current = token;
            for (var i = 0; i < CounterRetries && current is { Active: true }; i++)
            {
                var draft = new OtpChallenge(
                    0, state, current.Serial, current.Counter, identity.User, identity.Realm, request.ClientName,
                    now, now + settings.ChallengeValidity, ChallengeStatus.Open, 0, DeliveryStatus.Pending, null, null, null);

                // The counter is advanced and committed here, before the OTP is computed for the mail: a crash after
                // this point can lose a mail but never re-mail the same OTP.
                var stored = await store.TryCreateChallengeAsync(draft, cancellationToken).ConfigureAwait(false);
                if (stored is not null)
                {
                    return (current, stored, Hotp.Compute(seed, current.Hash, current.OtpLength, stored.Counter));
                }

                current = await store.GetTokenAsync(token.Serial, cancellationToken).ConfigureAwait(false);
            }

            EngineLog.CounterContention(logger, token.Serial);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private async Task<MailDeliveryResult> DeliverAsync(
        EngineConfiguration configuration,
        EmailToken token, OtpChallenge challenge, string otp, EmailRoute route, AuthenticationRequest request)
    {
        var settings = configuration.Settings;
        var started = Stopwatch.GetTimestamp();
        MailDeliveryResult result;
        try
        {
            // Not the request's token: the delivery may outlive the reply; shutdown awaits it through DrainAsync.
            var mail = new OtpMailRequest(token.Serial, token.User, token.Realm, token.Email, otp, settings.ChallengeValidity, request.ClientAddress);
            result = await configuration.MailSender.SendAsync(mail, route, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            result = new MailDeliveryResult(false, route.Providers.LastOrDefault(), null, null, ex.GetType().Name + ": " + ex.Message, Stopwatch.GetElapsedTime(started));
        }

        try
        {
            await store.RecordDeliveryAsync(
                    challenge.Id, result.Accepted, result.Provider, result.MessageId, result.Error, result.Duration, CancellationToken.None)
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
