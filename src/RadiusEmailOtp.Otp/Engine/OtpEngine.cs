using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// The two-step e-mail OTP flow of behaviour.md §2, in engine words (a State is just a challenge id here).
/// Outcomes are values: a wrong OTP or a locked token is a Reject result, never an exception.
/// </summary>
public sealed partial class OtpEngine
{
    // Serials are "LSEM" and hex digits: a space never occurs in one, so the decoy queries match no row.
    private static readonly string[] s_decoySerials = ["no token"];

    private readonly IOtpStore _store;
    private readonly TokenProtector _protector;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KeyedAsyncLock _userLocks = new();
    private readonly DeliveryTracker _deliveries = new();
    private readonly IRandomSource _random;
    private FailureLimiter _failures;
    private readonly LockExpiry _lockExpiry;
    private EngineConfiguration _configuration;

    /// <summary>Creates the engine over a store, the token keys, the mail ports and the frozen settings.</summary>
    public OtpEngine(
        IOtpStore store,
        TokenProtector protector,
        IOtpMailSender mailSender,
        IEmailRouteSelector routeSelector,
        EmailTokenSettings settings,
        RealmSettings realmSettings,
        TimeProvider timeProvider,
        ILogger<OtpEngine>? logger = null,
        IRandomSource? random = null)
        : this(store, protector, new EngineConfiguration(settings, realmSettings, mailSender, routeSelector), timeProvider, logger, random)
    {
    }

    /// <summary>
    /// Creates the engine over a store, the token keys and a first configuration (swapped later by <see cref="Reconfigure"/>).
    /// The failure limiter keeps the max_fail and window of this first configuration: its counts live as long as the engine.
    /// </summary>
    public OtpEngine(
        IOtpStore store,
        TokenProtector protector,
        EngineConfiguration configuration,
        TimeProvider timeProvider,
        ILogger<OtpEngine>? logger = null,
        IRandomSource? random = null)
    {
        var settings = configuration.Settings;
        _store = store;
        _protector = protector;
        _configuration = configuration;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = random ?? CryptoRandomSource.Instance;
        _failures = NewFailureLimiter(settings);
        _lockExpiry = new LockExpiry(store, _logger);
    }

    /// <summary>The octets of every State the engine hands out (16 random octets, base64url): the handler sizes replies with it.</summary>
    public const int StateLength = 22;

    /// <summary>Mail deliveries that outlived their reply and are still running.</summary>
    public int PendingDeliveries => _deliveries.PendingCount;

    /// <summary>The configuration new requests start with.</summary>
    public EngineConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>
    /// Makes <paramref name="next"/> the configuration of new requests (a reload). Requests in progress finish on the one
    /// they started with; its <see cref="EngineConfiguration.Retired"/> completes when the last of them (and of their
    /// mail deliveries) is done. A configuration object serves one engine, once.
    /// </summary>
    public void Reconfigure(EngineConfiguration next)
    {
        var previous = Interlocked.Exchange(ref _configuration, next);
        if (next.Settings.MaxFail != previous.Settings.MaxFail || next.Settings.FailCountClearTimeout != previous.Settings.FailCountClearTimeout)
        {
            // The limit's rule changed: its counts start afresh under the new one (the store's failcounts stay).
            Volatile.Write(ref _failures, NewFailureLimiter(next.Settings));
        }

        previous.Leave();
    }

    // Without failcount_clear_timeout the failure limit still needs a window: LinOTP's and our default, 10 minutes.
    private static FailureLimiter NewFailureLimiter(EmailTokenSettings settings) =>
        new(settings.MaxFail, settings.FailCountClearTimeout > TimeSpan.Zero ? settings.FailCountClearTimeout : TimeSpan.FromSeconds(600));

    /// <summary>Decides one login attempt; every counter advance and every accept is committed before it returns.</summary>
    public async Task<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        // Read once: the whole request, its mail included, runs on the configuration current at its start.
        var configuration = EnterConfiguration();
        try
        {
            return await AuthenticateAsync(configuration, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            configuration.Leave();
        }
    }

    private async Task<AuthenticationResult> AuthenticateAsync(
        EngineConfiguration configuration, AuthenticationRequest request, CancellationToken cancellationToken)
    {
        var identity = configuration.Realms.Resolve(request.UserName);
        var user = identity.ToString();
        var failures = Volatile.Read(ref _failures);
        if (failures.IsLimited(request.ClientName, user, _timeProvider.GetUtcNow()))
        {
            // Nothing read, nothing written: a flood of guesses from one NAS costs neither the user nor the store.
            return Reject(identity, RejectReason.TooManyFailures);
        }

        AuthenticationResult result;
        using (await _userLocks.AcquireAsync(user, cancellationToken).ConfigureAwait(false))
        {
            result = await DecideAsync(configuration, identity, request, cancellationToken).ConfigureAwait(false);
        }

        if (result.Outcome == AuthenticationOutcome.Accept)
        {
            failures.Clear(request.ClientName, user);
        }
        else if (result.Outcome == AuthenticationOutcome.Reject && result.MailStep == MailStep.None && RejectReason.IsFailure(result.Reason))
        {
            failures.RecordFailure(request.ClientName, user, _timeProvider.GetUtcNow());
        }

        return result;
    }

    // Under the user's lock: who the user is (the realm's resolvers, when it names any), then the tokens and the flow.
    private async Task<AuthenticationResult> DecideAsync(
        EngineConfiguration configuration, UserIdentity identity, AuthenticationRequest request, CancellationToken cancellationToken)
    {
        var (rejected, directory, read) = await LocateUserAsync(configuration, identity, request, cancellationToken).ConfigureAwait(false);
        if (rejected is not null)
        {
            return rejected;
        }

        var settings = configuration.SettingsFor(identity.Realm, directory is not null);
        var all = read ?? await _store.ListTokensAsync(identity.User, identity.Realm, cancellationToken).ConfigureAwait(false);
        var tokens = await _lockExpiry.ReleaseStaleAsync(
            all.Where(t => t.Active).ToList(), settings.FailCountClearTimeout, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var result = !request.State.IsEmpty
            ? await WithStateAsync(settings, identity, request, tokens, cancellationToken).ConfigureAwait(false)
            : directory is not null && settings.OtpPin == OtpPinMode.Password
                ? await WithDirectoryPasswordAsync(configuration, settings, identity, request, directory, all, tokens, cancellationToken).ConfigureAwait(false)
                : await WithoutStateAsync(configuration, settings, identity, request, tokens, directory, cancellationToken).ConfigureAwait(false);
        return directory is null ? result : result with { Resolver = directory.Resolver.Name };
    }

    /// <summary>Waits for mail deliveries still running in the background (call on shutdown).</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default) => _deliveries.DrainAsync(cancellationToken);

    internal static AuthenticationResult Result(
        AuthenticationOutcome outcome,
        UserIdentity identity,
        string reason,
        IReadOnlyList<string> replyMessages,
        IReadOnlyList<string> serials,
        byte[]? state = null,
        string? provider = null,
        TimeSpan? sessionTimeout = null,
        MailStep mailStep = MailStep.None) =>
        new(outcome, identity.User, identity.Realm, reason, replyMessages, state, serials, provider, sessionTimeout, mailStep);

    private EngineConfiguration EnterConfiguration()
    {
        // A configuration that cannot be entered was replaced after it was read; the field holds its successor.
        while (true)
        {
            var configuration = Volatile.Read(ref _configuration);
            if (configuration.TryEnter())
            {
                return configuration;
            }
        }
    }

    // The issuer is bound to the request's configuration (settings, policies, providers); it holds nothing else.
    private ChallengeIssuer Issuer(EngineConfiguration configuration) =>
        new(_store, _protector, configuration, _timeProvider, _random, _deliveries, _logger);

    private async Task<AuthenticationResult> WithStateAsync(
        EmailTokenSettings settings,
        UserIdentity identity, AuthenticationRequest request, List<EmailToken> tokens, CancellationToken cancellationToken)
    {
        if (!PasswordParts.TryDecodeState(request.State.Span, out var state))
        {
            return Reject(identity, RejectReason.UnknownState);
        }

        var now = _timeProvider.GetUtcNow();
        var bound = (await _store.GetChallengesByStateAsync(state, cancellationToken).ConfigureAwait(false))
            .Where(c => c.User == identity.User && c.Realm == identity.Realm)
            .Where(c => !settings.BindStateToClient || c.Client == request.ClientName)
            .ToList();
        if (bound.Count == 0)
        {
            return Reject(identity, RejectReason.UnknownState);
        }

        var open = bound.Where(c => c.Status == ChallengeStatus.Open && c.Expires > now).ToList();
        if (open.Count == 0)
        {
            return Reject(identity, bound.Any(c => c.Status is ChallengeStatus.Open or ChallengeStatus.Expired) ? "challenge expired" : "challenge closed", Serials(bound));
        }

        var candidates = open
            .Select(c => (Challenge: c, Token: tokens.FirstOrDefault(t => t.Serial == c.Serial)))
            .Where(p => p.Token is not null)
            .Select(p => (p.Challenge, Token: p.Token!))
            .ToList();
        if (candidates.Count == 0)
        {
            return Reject(identity, RejectReason.NoActiveToken, Serials(open));
        }

        var unlocked = candidates.Where(p => !p.Token.IsLocked).ToList();
        if (unlocked.Count == 0)
        {
            return Reject(identity, RejectReason.Locked, Serials(open));
        }

        foreach (var (challenge, token) in unlocked)
        {
            var otp = OtpPartWithState(settings, request.Password, token);
            if (otp is not null && Matches(token, challenge, otp))
            {
                return await AcceptAsync(identity, challenge, cancellationToken).ConfigureAwait(false);
            }
        }

        // Only the challenged tokens pay for a wrong answer with State (fix: LinOTP counts all of the user's tokens).
        await _store.RecordWrongAnswerAsync(
            [.. unlocked.Select(p => p.Challenge.Id)],
            [.. unlocked.Select(p => p.Token.Serial).Distinct()],
            settings.MaxAttemptsPerChallenge,
            cancellationToken).ConfigureAwait(false);
        return Reject(identity, RejectReason.WrongOtp, Serials(open));
    }

    private async Task<AuthenticationResult> WithoutStateAsync(
        EngineConfiguration configuration,
        EmailTokenSettings settings,
        UserIdentity identity,
        AuthenticationRequest request,
        List<EmailToken> tokens,
        DirectoryUser? directory,
        CancellationToken cancellationToken)
    {
        var password = request.Password;
        var now = _timeProvider.GetUtcNow();
        if (tokens.Count == 0)
        {
            return await NoTokenAsync(settings, identity, password, now, cancellationToken).ConfigureAwait(false);
        }

        var open = await _store.GetOpenChallengesAsync([.. tokens.Select(t => t.Serial)], now, cancellationToken).ConfigureAwait(false);
        var pinOnly = new List<EmailToken>();
        var withOtp = new List<(EmailToken Token, string Otp)>();
        foreach (var token in tokens)
        {
            var (isPin, otp) = Classify(settings, password, token, open.Any(c => c.Serial == token.Serial));
            if (isPin)
            {
                pinOnly.Add(token);
            }

            if (otp is not null)
            {
                withOtp.Add((token, otp));
            }
        }

        var answering = withOtp.Where(p => !p.Token.IsLocked).ToList();
        foreach (var (token, otp) in answering)
        {
            // Every open, unexpired challenge of the token is answerable: slow mail must not make earlier codes useless.
            foreach (var challenge in open.Where(c => c.Serial == token.Serial).OrderByDescending(c => c.Counter))
            {
                if (Matches(token, challenge, otp))
                {
                    return await AcceptAsync(identity, challenge, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (pinOnly.Count > 0)
        {
            var usable = pinOnly.Where(t => !t.IsLocked).ToList();
            if (usable.Count == 0)
            {
                return Reject(identity, RejectReason.Locked, Serials(pinOnly));
            }

            if (answering.Count > 0)
            {
                // ignore_pin: a password that is not a code of an open challenge is a trigger (the user logging in again),
                // so it does not raise the failcount. It still counts as an attempt on those challenges: else anyone who
                // knows a user name could guess a mailed code without State for free. At max_attempts the challenge
                // closes, and the next trigger mails a fresh code instead of answering "already sent".
                var serials = answering.Select(p => p.Token.Serial).ToList();
                var guessed = open.Where(c => serials.Contains(c.Serial)).Select(c => c.Id).ToList();
                await _store.RecordWrongAnswerAsync(guessed, [], settings.MaxAttemptsPerChallenge, cancellationToken).ConfigureAwait(false);
            }

            if (answering.Count == 0 && settings.OtpPin == OtpPinMode.IgnorePin
                && await IsLateCopyAsync(PasswordParts.TrailingCodes(password, usable), now, cancellationToken).ConfigureAwait(false))
            {
                // ignore_pin: without an open challenge any password triggers a mail, so a late copy of the request that
                // just logged in would mail the user a second code.
                return Reject(identity, RejectReason.AlreadyUsed, Serials(usable));
            }

            return await Issuer(configuration).IssueAsync(identity, request, usable, answering.Count > 0 ? null : open, directory, cancellationToken).ConfigureAwait(false);
        }

        if (withOtp.Count > 0)
        {
            if (answering.Count == 0)
            {
                return Reject(identity, RejectReason.Locked, [.. withOtp.Select(p => p.Token.Serial)]);
            }

            var serials = answering.Select(p => p.Token.Serial).ToList();
            if (await IsLateCopyAsync(answering, now, cancellationToken).ConfigureAwait(false))
            {
                // The code was right, for a challenge a copy of this request answered a moment ago (a NAS retransmit
                // with a new Identifier, a second server's copy): no guess, so nothing is counted.
                return Reject(identity, RejectReason.AlreadyUsed, serials);
            }

            var challengeIds = open.Where(c => serials.Contains(c.Serial)).Select(c => c.Id).ToList();
            await _store.RecordWrongAnswerAsync(challengeIds, serials, settings.MaxAttemptsPerChallenge, cancellationToken).ConfigureAwait(false);
            return Reject(identity, challengeIds.Count == 0 ? RejectReason.WrongOtpNoChallenge : RejectReason.WrongOtp, serials);
        }

        // A wrong PIN raises the failcount of all the user's e-mail tokens.
        await _store.IncrementFailCountAsync([.. tokens.Select(t => t.Serial)], cancellationToken).ConfigureAwait(false);
        return Reject(identity, RejectReason.WrongPin, Serials(tokens));
    }

    /// <summary>
    /// Unknown user, no token, only disabled tokens: the same reply and the same work as a wrong PIN of a user with one
    /// token (behaviour.md §2: nothing may tell an attacker which case it was, timing included): the same read, the
    /// same PIN hashes, and the same failcount statement, aimed at a serial that cannot exist. That write matches no
    /// row, so SQLite appends nothing to the WAL and random names cost no disk writes; the one thing left different is
    /// the real write's fsync, which reject_delay (counted from the packet's arrival) covers.
    /// </summary>
    private async Task<AuthenticationResult> NoTokenAsync(EmailTokenSettings settings, UserIdentity identity, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _ = await _store.GetOpenChallengesAsync(s_decoySerials, now, cancellationToken).ConfigureAwait(false);
        if (settings.OtpPin == OtpPinMode.TokenPin)
        {
            // As Classify does for one token: the whole password, then the part before an OTP when there is one.
            _protector.VerifyDummyPin(password);
            if (password.Length > settings.OtpLength)
            {
                _protector.VerifyDummyPin(password[..^settings.OtpLength]);
            }
        }

        await _store.IncrementFailCountAsync(s_decoySerials, cancellationToken).ConfigureAwait(false);
        return Reject(identity, RejectReason.UnknownUser);
    }

    /// <summary>Whether the password is this token's PIN alone (triggers a challenge), and the OTP part of a PIN+OTP.</summary>
    private (bool IsPin, string? Otp) Classify(EmailTokenSettings settings, string password, EmailToken token, bool hasOpenChallenge)
    {
        var length = token.OtpLength;
        switch (settings.OtpPin)
        {
            case OtpPinMode.OnlyOtp:
                return (password.Length == 0, password.Length > 0 ? password : null);
            case OtpPinMode.IgnorePin:
                // Without State the password is both: a code that answers an open challenge, or else a trigger.
                var otp = hasOpenChallenge && password.Length >= length && PasswordParts.IsDigits(password.AsSpan(password.Length - length))
                    ? password[^length..]
                    : null;
                return (true, otp);
            default:
                // Both checks always run so the work does not depend on which one matches.
                var isPin = _protector.VerifyPin(token, password);
                var prefixIsPin = password.Length > length && _protector.VerifyPin(token, password[..^length]);
                return (isPin, prefixIsPin ? password[^length..] : null);
        }
    }

    /// <summary>With State the bare OTP is the answer; PIN+OTP is accepted too when the PIN part is right (fix).</summary>
    private string? OtpPartWithState(EmailTokenSettings settings, string password, EmailToken token)
    {
        var length = token.OtpLength;
        if (password.Length == length)
        {
            return password;
        }

        if (password.Length < length)
        {
            return null;
        }

        return settings.OtpPin switch
        {
            OtpPinMode.TokenPin => _protector.VerifyPin(token, password[..^length]) ? password[^length..] : null,
            OtpPinMode.IgnorePin => password[^length..],
            _ => null,
        };
    }

    private bool Matches(EmailToken token, OtpChallenge challenge, string otp)
    {
        if (!_protector.TryOpenSeed(token, out var seed))
        {
            EngineLog.SeedUnreadable(_logger, token.Serial);
            return false;
        }

        try
        {
            var expected = Hotp.Compute(seed, token.Hash, token.OtpLength, challenge.Counter);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(otp));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private async Task<AuthenticationResult> AcceptAsync(UserIdentity identity, OtpChallenge challenge, CancellationToken cancellationToken)
    {
        // Conditional on status = 'open': of two concurrent requests with the same OTP only one can win.
        var won = await _store.TryAnswerChallengeAsync(challenge, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return won
            ? Result(AuthenticationOutcome.Accept, identity, "ok", [], [challenge.Serial], provider: challenge.Provider)
            : Reject(identity, RejectReason.AlreadyUsed, [challenge.Serial]);
    }

    /// <summary>Whether one of the codes is right for a challenge of its token that was answered and has not expired.</summary>
    private async Task<bool> IsLateCopyAsync(IReadOnlyList<(EmailToken Token, string Otp)> guesses, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (guesses.Count == 0)
        {
            return false;
        }

        var answered = await _store.GetAnsweredChallengesAsync([.. guesses.Select(g => g.Token.Serial).Distinct()], now, cancellationToken).ConfigureAwait(false);
        return guesses.Any(g => answered.Any(c => c.Serial == g.Token.Serial && Matches(g.Token, c, g.Otp)));
    }

    private static AuthenticationResult Reject(UserIdentity identity, string reason, IReadOnlyList<string>? serials = null) =>
        Result(AuthenticationOutcome.Reject, identity, reason, [], serials ?? []);

    private static List<string> Serials(IEnumerable<OtpChallenge> challenges) => [.. challenges.Select(c => c.Serial).Distinct()];

    private static List<string> Serials(IEnumerable<EmailToken> tokens) => [.. tokens.Select(t => t.Serial)];
}
