using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tests.Engine;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Tests.Users;

public sealed class LocalUserResolverTests : EngineTestBase
{
    private LocalUserResolver Resolver => new(Store, Storage.Protector);

    [Test]
    public async Task An_enrolled_user_is_found_with_the_tokens_address()
    {
        await EnrollAsync();

        var result = await Resolver.FindAsync(new UserIdentity("alice", "example.com"), CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(result.User, Is.EqualTo(new ResolvedUser("local", "alice@example.com", "alice", "alice@example.com")));
    }

    [Test]
    public async Task A_user_without_a_token_or_in_another_realm_is_not_found()
    {
        await EnrollAsync();

        var other = await Resolver.FindAsync(new UserIdentity("bob", "example.com"), CancellationToken.None);
        var otherRealm = await Resolver.FindAsync(new UserIdentity("alice", "corp.example"), CancellationToken.None);

        Assert.That(other.Status, Is.EqualTo(UserLookupStatus.NotFound));
        Assert.That(otherRealm.Status, Is.EqualTo(UserLookupStatus.NotFound));
    }

    [Test]
    public async Task The_password_is_the_token_pin()
    {
        await EnrollAsync(pin: "1234");
        var user = (await Resolver.FindAsync(new UserIdentity("alice", "example.com"), CancellationToken.None)).User!;

        Assert.That(await Resolver.CheckPasswordAsync(user, "1234", CancellationToken.None), Is.EqualTo(PasswordCheckResult.Ok));
        Assert.That(await Resolver.CheckPasswordAsync(user, "1235", CancellationToken.None), Is.EqualTo(PasswordCheckResult.Wrong));
        Assert.That(await Resolver.CheckPasswordAsync(user, string.Empty, CancellationToken.None), Is.EqualTo(PasswordCheckResult.Wrong));
    }

    [Test]
    public async Task Reading_the_address_sees_a_changed_token_address()
    {
        var token = await EnrollAsync();
        var user = (await Resolver.FindAsync(new UserIdentity("alice", "example.com"), CancellationToken.None)).User!;
        await Store.SetEmailAsync(token.Serial, "alice.new@example.com", CancellationToken.None);

        var read = await Resolver.ReadEmailAsync(user, CancellationToken.None);

        Assert.That(read.User!.Email, Is.EqualTo("alice.new@example.com"));
    }
}
