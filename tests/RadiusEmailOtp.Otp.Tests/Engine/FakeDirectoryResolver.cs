using System.Collections.Concurrent;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// An in-memory directory for engine tests (the real one is tested against slapd): users with a password and an
/// address, and a count of password checks ("binds") so a test can tell that a request bound exactly once.
/// </summary>
public sealed class FakeDirectoryResolver(string name = "corp") : IUserResolver
{
    private readonly ConcurrentDictionary<string, (string Password, string? Email)> _users = new(StringComparer.Ordinal);
    private int _binds;

    public string Name { get; } = name;

    public bool Down { get; set; }

    public int Binds => Volatile.Read(ref _binds);

    public void Add(string login, string password, string? email) => _users[login] = (password, email);

    public void SetEmail(string login, string? email) => _users[login] = (_users[login].Password, email);

    public Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken)
    {
        if (Down)
        {
            return Task.FromResult(UserLookupResult.Unavailable);
        }

        return Task.FromResult(_users.TryGetValue(identity.User, out var user)
            ? UserLookupResult.Found(new ResolvedUser(Name, "uid=" + identity.User + ",ou=people", identity.User, user.Email))
            : UserLookupResult.NotFound);
    }

    public Task<PasswordCheckResult> CheckPasswordAsync(ResolvedUser user, string password, CancellationToken cancellationToken)
    {
        if (Down)
        {
            return Task.FromResult(PasswordCheckResult.Unavailable);
        }

        // As a directory does: an empty password is never tried (it would be an anonymous bind).
        if (password.Length == 0)
        {
            return Task.FromResult(PasswordCheckResult.Wrong);
        }

        Interlocked.Increment(ref _binds);
        return Task.FromResult(_users.TryGetValue(user.Login, out var stored) && stored.Password == password ? PasswordCheckResult.Ok : PasswordCheckResult.Wrong);
    }

    public Task<UserLookupResult> ReadEmailAsync(ResolvedUser user, CancellationToken cancellationToken) =>
        FindAsync(new UserIdentity(user.Login, string.Empty), cancellationToken);
}
