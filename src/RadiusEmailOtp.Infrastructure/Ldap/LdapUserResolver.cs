using System.Collections.Concurrent;
using System.DirectoryServices.Protocols;
using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// A <c>type = "ldap"</c> resolver (issue 9): finds users with the service account, checks a password with one bind as
/// the user's DN, reads the address per call. URIs are tried in order with failover; every blocking libldap call runs
/// under libldap's own timeouts and a deadline of ours, so a silent server costs at most connect + response seconds
/// per URI. A URI that failed is skipped for 30 s and named in a rate-limited Warning with the cause.
/// </summary>
public sealed class LdapUserResolver : IUserResolver, IDisposable
{
    private const int MaxCachedUsers = 10_000;

    private readonly LdapConnector _connector;
    private readonly LdapEndpoints _endpoints;
    private readonly LdapConnectionPool _pool = new();
    private readonly ConcurrentDictionary<string, (ResolvedUser User, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);
    private readonly WarningRateLimiter _warnings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public LdapUserResolver(LdapResolverSettings settings, ILogger logger, TimeProvider time)
    {
        Settings = settings;
        _connector = new LdapConnector(settings);
        _endpoints = new LdapEndpoints(settings.Uris, time);
        _warnings = new WarningRateLimiter(time, TimeSpan.FromSeconds(60));
        _logger = logger;
        _time = time;
        if (!settings.TlsVerify)
        {
            LdapLog.TlsVerifyDisabled(logger, settings.Name);
        }
    }

    public LdapResolverSettings Settings { get; }

    public string Name => Settings.Name;

    public async Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        var login = identity.User;
        if (login.Length == 0)
        {
            return UserLookupResult.NotFound;
        }

        if (_cache.TryGetValue(login, out var cached) && cached.Expires > _time.GetUtcNow())
        {
            return UserLookupResult.Found(cached.User);
        }

        var filter = LdapFilter.ForLogin(Settings.SearchFilter, Settings.LoginAttributes, login);
        var (ok, result) = await ExecuteAsync(
            service: true, c => Search(c, Settings.BaseDn, SearchScope.Subtree, filter, login), "the user search", null, cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            return UserLookupResult.Unavailable;
        }

        if (result.User is { } user && Settings.CacheDuration > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCachedUsers)
            {
                _cache.Clear();
            }

            _cache[login] = (user, _time.GetUtcNow() + Settings.CacheDuration);
        }

        return result;
    }

    public async Task<PasswordCheckResult> CheckPasswordAsync(ResolvedUser user, string password, CancellationToken cancellationToken)
    {
        // An empty password is an unauthenticated bind (RFC 4513 §5.1.2) that many servers, AD among them, "accept".
        if (password.Length == 0 || user.Id.Length == 0)
        {
            return PasswordCheckResult.Wrong;
        }

        var (ok, result) = await ExecuteAsync(
            service: false, c => BindAs(c, user.Id, password), "the user's bind", null, cancellationToken).ConfigureAwait(false);
        return ok ? result : PasswordCheckResult.Unavailable;
    }

    public async Task<UserLookupResult> ReadEmailAsync(ResolvedUser user, CancellationToken cancellationToken)
    {
        var (ok, result) = await ExecuteAsync(
            service: true, c => Search(c, user.Id, SearchScope.Base, "(objectClass=*)", user.Login), "reading the address", null, cancellationToken)
            .ConfigureAwait(false);
        return ok ? result : UserLookupResult.Unavailable;
    }

    /// <summary>Binds with the service account and reads the base DN (check-config --connect); null when it worked, else the causes.</summary>
    public async Task<string?> TestConnectionAsync(CancellationToken cancellationToken)
    {
        var causes = new List<string>();
        var (ok, _) = await ExecuteAsync(
            service: true, c => Search(c, Settings.BaseDn, SearchScope.Base, "(objectClass=*)", string.Empty), "reading base_dn", causes, cancellationToken)
            .ConfigureAwait(false);
        return ok ? null : causes.Count == 0 ? "no URI could be tried" : string.Join("; ", causes);
    }

    public void Dispose() => _pool.Dispose();

    private async Task<(bool Ok, T Value)> ExecuteAsync<T>(
        bool service, Func<LdapConnection, T> operation, string step, List<string>? causes, CancellationToken cancellationToken)
    {
        foreach (var uri in _endpoints.Order())
        {
            try
            {
                var value = await OnUriAsync(uri, service, operation, step, cancellationToken).ConfigureAwait(false);
                _endpoints.MarkAlive(uri);
                return (true, value);
            }
            catch (Exception ex) when (ex is not LdapUnavailableException)
            {
                // Cancelled (or a bug): the URI was not judged, but a probe slot it held must not stay taken.
                _endpoints.ReleaseProbe(uri);
                throw;
            }
            catch (LdapUnavailableException ex)
            {
                _endpoints.MarkDead(uri);
                var cause = ex.Message.StartsWith("TLS failed", StringComparison.Ordinal)
                    ? await LdapTlsDiagnosis.DiagnoseAsync(uri, Settings, cancellationToken).ConfigureAwait(false)
                    : ex.Message;
                causes?.Add($"{uri}: {cause}");
                if (_warnings.TryAcquire($"{uri} {cause}", out var suppressed))
                {
                    LdapLog.Unavailable(_logger, Name, uri.ToString(), cause, suppressed == 0 ? string.Empty : $"; {suppressed} more like it not logged");
                }
            }
        }

        if (_warnings.TryAcquire("all", out _))
        {
            LdapLog.AllUnavailable(_logger, Name);
        }

        return (false, default!);
    }

    private async Task<T> OnUriAsync<T>(LdapUri uri, bool service, Func<LdapConnection, T> operation, string step, CancellationToken cancellationToken)
    {
        if (_pool.TryRent(uri, service, out var pooled))
        {
            try
            {
                var value = await RunAsync(() => operation(pooled), pooled, uri, step, cancellationToken).ConfigureAwait(false);
                _pool.Return(uri, service, pooled);
                return value;
            }
            catch (LostConnectionException)
            {
                // The server closed an idle connection (restart, idle timeout): one fresh connection, no dead mark.
            }
        }

        await _connector.PreCheckAsync(uri, cancellationToken).ConfigureAwait(false);
        var connection = await RunAsync(() => _connector.Open(uri, service), null, uri, "connecting", cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await RunAsync(() => operation(connection), connection, uri, step, cancellationToken).ConfigureAwait(false);
        }
        catch (LostConnectionException lost)
        {
            throw _connector.Classify(lost.InnerException!, uri, step);
        }

        _pool.Return(uri, service, connection);
        return result;
    }

    /// <summary>
    /// Runs one blocking call on the thread pool under a deadline. On a failure the connection is disposed (after the
    /// call returns, if it is still blocked); a lost connection is reported as <see cref="LostConnectionException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<T> work, LdapConnection? connection, LdapUri uri, string step, CancellationToken cancellationToken)
    {
        var task = Task.Run(work, CancellationToken.None);
        var deadline = Settings.ConnectTimeout + Settings.ResponseTimeout;
        try
        {
            return await task.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Still blocked in libldap: the connection may only be freed once the call has returned.
            _ = task.ContinueWith(
                t => (connection ?? (t.IsCompletedSuccessfully ? t.Result as LdapConnection : null))?.Dispose(),
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            throw new LdapUnavailableException($"timed out: no answer to {step} within {deadline.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is DirectoryException or LdapUnavailableException)
        {
            connection?.Dispose();
            if (connection is not null && LdapConnector.IsConnectionLost(ex))
            {
                throw new LostConnectionException(ex);
            }

            throw _connector.Classify(ex, uri, step);
        }
    }

    private UserLookupResult Search(LdapConnection connection, string baseDn, SearchScope scope, string filter, string login)
    {
        var request = new SearchRequest(baseDn, filter, scope, Settings.EmailAttribute)
        {
            SizeLimit = 2,
            TimeLimit = Settings.ResponseTimeout,
        };
        SearchResponse response;
        try
        {
            response = (SearchResponse)connection.SendRequest(request, Settings.ResponseTimeout);
        }
        catch (DirectoryOperationException ex) when (ex.Response?.ResultCode == ResultCode.SizeLimitExceeded)
        {
            LdapLog.Ambiguous(_logger, Name, login);
            return UserLookupResult.NotFound;
        }
        catch (DirectoryOperationException ex) when (ex.Response?.ResultCode == ResultCode.NoSuchObject && scope == SearchScope.Base && baseDn != Settings.BaseDn)
        {
            return UserLookupResult.NotFound;
        }

        // Search references (AD's referrals to other partitions) are not entries and are not followed.
        var entries = response.Entries;
        if (entries.Count == 0)
        {
            return UserLookupResult.NotFound;
        }

        if (entries.Count > 1)
        {
            LdapLog.Ambiguous(_logger, Name, login);
            return UserLookupResult.NotFound;
        }

        var entry = entries[0];
        return UserLookupResult.Found(new ResolvedUser(Name, entry.DistinguishedName, login, FirstValue(entry, Settings.EmailAttribute)));
    }

    private static string? FirstValue(SearchResultEntry entry, string attribute)
    {
        foreach (string name in entry.Attributes.AttributeNames)
        {
            if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase))
            {
                var values = entry.Attributes[name].GetValues(typeof(string));
                return values.Length > 0 && values[0] is string { Length: > 0 } value ? value.Trim() : null;
            }
        }

        return null;
    }

    private static PasswordCheckResult BindAs(LdapConnection connection, string dn, string password)
    {
        try
        {
            connection.Bind(new NetworkCredential(dn, password));
            return PasswordCheckResult.Ok;
        }
        catch (LdapException ex) when (!IsTransportFailure(ex.ErrorCode))
        {
            // The server answered (invalid credentials, account locked or disabled, constraint): not this password.
            return PasswordCheckResult.Wrong;
        }
    }

    // busy, unavailable, server down, client timeout, connect error: the server did not judge the password.
    private static bool IsTransportFailure(int code) => code is 51 or 52 or 81 or 85 or 91 or < 0;

    private sealed class LostConnectionException(Exception inner) : Exception("connection lost", inner);
}
