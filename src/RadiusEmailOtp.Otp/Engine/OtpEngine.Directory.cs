using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// otppin = password for a user found in a directory (issue 9): the fixed part of the password is the directory
/// password, checked with exactly one bind per request. A bind is never spent on a guess of the code: with an open
/// challenge the password is read as password+OTP and bound once with its fixed part; a wrong directory password
/// counts like a wrong PIN. Auto-enrolment gives a first-time user a token in the same request.
/// </summary>
public sealed partial class OtpEngine
{
    /// <summary>
    /// Who the user is, when the realm names resolvers, asked in the realm's order: a directory user, or a user of the
    /// token table (Directory null) with the tokens already read, or the reject when a directory cannot be asked or no
    /// resolver of the realm knows the name. Tokens is null when they were not read here.
    /// </summary>
    private async Task<(AuthenticationResult? Rejected, DirectoryUser? Directory, IReadOnlyList<EmailToken>? Tokens)> LocateUserAsync(
        EngineConfiguration configuration, UserIdentity identity, AuthenticationRequest request, CancellationToken cancellationToken)
    {
        if (!configuration.AsksDirectory(identity.Realm))
        {
            return (null, null, null);
        }

        foreach (var resolver in configuration.Users!.For(identity.Realm))
        {
            if (resolver.Name == LocalUserResolver.ResolverName)
            {
                // The token table's users are the ones with a token; the flow needs those tokens next, so read them once.
                var tokens = await _store.ListTokensAsync(identity.User, identity.Realm, cancellationToken).ConfigureAwait(false);
                if (tokens.Count > 0)
                {
                    return (null, null, tokens);
                }

                continue;
            }

            var found = await resolver.FindAsync(identity, cancellationToken).ConfigureAwait(false);
            if (found.Status == UserLookupStatus.Unavailable)
            {
                // The resolver logged the cause; nothing is counted: an outage is no one's failure. Falling through to the
                // next resolver would let the outage decide whose account the name is.
                return (Reject(identity, RejectReason.DirectoryUnavailable), null, null);
            }

            if (found.Status == UserLookupStatus.Found)
            {
                return (null, new DirectoryUser(resolver, found.User!), null);
            }
        }

        // Not in any resolver of the realm (a user removed from the directory included): as an unknown user.
        return (await NoTokenAsync(configuration.Settings, identity, request.Password, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false), null, null);
    }

    private async Task<AuthenticationResult> WithDirectoryPasswordAsync(
        EngineConfiguration configuration,
        EmailTokenSettings settings,
        UserIdentity identity,
        AuthenticationRequest request,
        DirectoryUser directory,
        IReadOnlyList<EmailToken> all,
        List<EmailToken> tokens,
        CancellationToken cancellationToken)
    {
        var password = request.Password;
        var now = _timeProvider.GetUtcNow();
        if (tokens.Count == 0)
        {
            return all.Count == 0 && settings.AutoEnroll
                ? await AutoEnrollAsync(configuration, settings, identity, request, directory, cancellationToken).ConfigureAwait(false)
                : await NoTokenAsync(settings, identity, password, now, cancellationToken).ConfigureAwait(false);
        }

        var usable = tokens.Where(t => !t.IsLocked).ToList();
        if (usable.Count == 0)
        {
            // No bind for a locked user: the directory's own lock-out must not pay for ours.
            return Reject(identity, RejectReason.Locked, Serials(tokens));
        }

        var open = await _store.GetOpenChallengesAsync([.. usable.Select(t => t.Serial)], now, cancellationToken).ConfigureAwait(false);
        var (fixedPart, otp) = SplitPasswordAndCode(password, usable, open);
        var check = await directory.Resolver.CheckPasswordAsync(directory.User, fixedPart, cancellationToken).ConfigureAwait(false);
        if (check == PasswordCheckResult.Unavailable)
        {
            return Reject(identity, RejectReason.DirectoryUnavailable, Serials(usable));
        }

        if (check == PasswordCheckResult.Wrong)
        {
            await _store.IncrementFailCountAsync([.. tokens.Select(t => t.Serial)], cancellationToken).ConfigureAwait(false);
            return Reject(identity, RejectReason.WrongPin, Serials(tokens));
        }

        if (otp is null)
        {
            return await Issuer(configuration).IssueAsync(identity, request, usable, open, directory, cancellationToken).ConfigureAwait(false);
        }

        var answering = usable.Where(t => open.Any(c => c.Serial == t.Serial)).ToList();
        foreach (var token in answering)
        {
            foreach (var challenge in open.Where(c => c.Serial == token.Serial).OrderByDescending(c => c.Counter))
            {
                if (otp.Length == token.OtpLength && Matches(token, challenge, otp))
                {
                    return await AcceptAsync(identity, challenge, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var serials = answering.Select(t => t.Serial).ToList();
        if (await IsLateCopyAsync([.. answering.Select(t => (t, otp))], now, cancellationToken).ConfigureAwait(false))
        {
            return Reject(identity, RejectReason.AlreadyUsed, serials);
        }

        var challengeIds = open.Where(c => serials.Contains(c.Serial)).Select(c => c.Id).ToList();
        await _store.RecordWrongAnswerAsync(challengeIds, serials, settings.MaxAttemptsPerChallenge, cancellationToken).ConfigureAwait(false);
        return Reject(identity, RejectReason.WrongOtp, serials);
    }

    /// <summary>
    /// With an open challenge a password ending in a code's worth of digits is password+OTP; otherwise (no open challenge,
    /// or a password that cannot end in a code) it is the directory password alone. Either way one bind follows.
    /// </summary>
    private static (string FixedPart, string? Otp) SplitPasswordAndCode(string password, List<EmailToken> usable, IReadOnlyList<OtpChallenge> open)
    {
        var challenged = usable.FirstOrDefault(t => open.Any(c => c.Serial == t.Serial));
        if (challenged is null)
        {
            return (password, null);
        }

        var length = challenged.OtpLength;
        return password.Length > length && PasswordParts.IsDigits(password.AsSpan(password.Length - length))
            ? (password[..^length], password[^length..])
            : (password, null);
    }

    /// <summary>
    /// A directory user with an address and no token who binds with the right password gets one now and is mailed a code
    /// in the same request. The store's unique index elects one token under concurrent first logins (several nodes
    /// included); a request that loses reads the winner's token and goes on with it.
    /// </summary>
    private async Task<AuthenticationResult> AutoEnrollAsync(
        EngineConfiguration configuration,
        EmailTokenSettings settings,
        UserIdentity identity,
        AuthenticationRequest request,
        DirectoryUser directory,
        CancellationToken cancellationToken)
    {
        if (directory.User.Email is null)
        {
            EngineLog.AutoEnrollNoAddress(_logger, identity.User, identity.Realm, directory.Resolver.Name);
            return await NoTokenAsync(settings, identity, request.Password, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var check = await directory.Resolver.CheckPasswordAsync(directory.User, request.Password, cancellationToken).ConfigureAwait(false);
        if (check != PasswordCheckResult.Ok)
        {
            // No token to count against: the per-NAS limit counts the wrong password (the reason is a failure).
            return Reject(identity, check == PasswordCheckResult.Unavailable ? RejectReason.DirectoryUnavailable : RejectReason.WrongPin);
        }

        var tokens = await EnrollOnceAsync(settings, identity, directory, cancellationToken).ConfigureAwait(false);
        if (tokens.Count == 0)
        {
            return Reject(identity, RejectReason.NoActiveToken);
        }

        return await Issuer(configuration).IssueAsync(identity, request, tokens, null, directory, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<EmailToken>> EnrollOnceAsync(
        EmailTokenSettings settings, UserIdentity identity, DirectoryUser directory, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var token = TokenFactory.Create(
                _protector, _random, identity.User, identity.Realm, string.Empty, TokenFactory.RandomPin(_random), OtpHashAlgorithm.Sha1, settings.OtpLength,
                settings.MaxFail, "autoenroll", _timeProvider.GetUtcNow()) with
            {
                Resolver = directory.Resolver.Name,
                AutoEnrolled = true,
            };
            if (await _store.AddTokenAsync(token, cancellationToken).ConfigureAwait(false))
            {
                EngineLog.AutoEnrolled(_logger, token.Serial, identity.User, identity.Realm, directory.Resolver.Name);
                return [token];
            }

            // Another request (or node) enrolled the user first, or the serial was taken: read what is there now.
            var now = await _store.ListTokensAsync(identity.User, identity.Realm, cancellationToken).ConfigureAwait(false);
            if (now.Count > 0)
            {
                return [.. now.Where(t => t.Active)];
            }
        }

        return [];
    }
}
