using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Tests.Users;

public sealed class UserDirectoryTests
{
    private static readonly UserIdentity s_alice = new("alice", "corp.example");

    [Test]
    public async Task A_realm_without_an_entry_asks_only_local()
    {
        var local = new StubResolver("local", UserLookupStatus.Found);
        var corp = new StubResolver("corp", UserLookupStatus.Found);
        var directory = new UserDirectory(local, new Dictionary<string, IReadOnlyList<IUserResolver>> { ["Corp.Example"] = [corp] });

        var result = await directory.FindAsync(new UserIdentity("alice", "other.example"), CancellationToken.None);

        Assert.That(result.User!.Resolver, Is.EqualTo("local"));
        Assert.That(corp.Asked, Is.Zero);
    }

    [Test]
    public async Task The_first_resolver_that_knows_the_user_wins()
    {
        var local = new StubResolver("local", UserLookupStatus.Found);
        var corp = new StubResolver("corp", UserLookupStatus.NotFound);
        var hr = new StubResolver("hr", UserLookupStatus.Found);
        var directory = new UserDirectory(local, new Dictionary<string, IReadOnlyList<IUserResolver>> { ["corp.example"] = [corp, hr, local] });

        var result = await directory.FindAsync(s_alice, CancellationToken.None);

        Assert.That(result.User!.Resolver, Is.EqualTo("hr"));
        Assert.That((corp.Asked, hr.Asked, local.Asked), Is.EqualTo((1, 1, 0)));
    }

    [Test]
    public async Task An_unavailable_resolver_ends_the_search_instead_of_falling_through()
    {
        var local = new StubResolver("local", UserLookupStatus.Found);
        var corp = new StubResolver("corp", UserLookupStatus.Unavailable);
        var directory = new UserDirectory(local, new Dictionary<string, IReadOnlyList<IUserResolver>> { ["corp.example"] = [corp, local] });

        var result = await directory.FindAsync(s_alice, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(UserLookupStatus.Unavailable));
        Assert.That(local.Asked, Is.Zero);
    }

    [Test]
    public async Task Nobody_knowing_the_user_is_not_found()
    {
        var local = new StubResolver("local", UserLookupStatus.NotFound);
        var corp = new StubResolver("corp", UserLookupStatus.NotFound);
        var directory = new UserDirectory(local, new Dictionary<string, IReadOnlyList<IUserResolver>> { ["corp.example"] = [corp, local] });

        Assert.That((await directory.FindAsync(s_alice, CancellationToken.None)).Status, Is.EqualTo(UserLookupStatus.NotFound));
    }

    private sealed class StubResolver(string name, UserLookupStatus status) : IUserResolver
    {
        public int Asked { get; private set; }

        public string Name => name;

        public Task<UserLookupResult> FindAsync(UserIdentity identity, CancellationToken cancellationToken)
        {
            Asked++;
            return Task.FromResult(status == UserLookupStatus.Found
                ? UserLookupResult.Found(new ResolvedUser(name, $"uid={identity.User}", identity.User, null))
                : new UserLookupResult(status, null));
        }

        public Task<PasswordCheckResult> CheckPasswordAsync(ResolvedUser user, string password, CancellationToken cancellationToken) =>
            Task.FromResult(PasswordCheckResult.Wrong);

        public Task<UserLookupResult> ReadEmailAsync(ResolvedUser user, CancellationToken cancellationToken) => FindAsync(new UserIdentity(user.Login, string.Empty), cancellationToken);
    }
}
