using NUnit.Framework;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

public sealed class LdapUserResolverTests : LdapResolverTestBase
{
    [Test]
    public async Task A_user_is_found_with_dn_and_the_first_mail_value()
    {
        var result = await FindAsync(PlainResolver(), "alice");

        Assert.That(result.Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(result.User, Is.EqualTo(new ResolvedUser("corp", "uid=alice,ou=people,dc=example,dc=com", "alice", "alice@corp.example")));
    }

    [Test]
    public async Task An_unknown_user_is_not_found_and_a_user_without_mail_has_no_address()
    {
        var resolver = PlainResolver();

        Assert.That((await FindAsync(resolver, "mallory")).Status, Is.EqualTo(UserLookupStatus.NotFound));
        var bob = await FindAsync(resolver, "bob");
        Assert.That(bob.Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(bob.User!.Email, Is.Null);
    }

    [TestCase("*)(uid=*")]
    [TestCase("*")]
    [TestCase("alice)(|(uid=*")]
    [TestCase("al*")]
    public async Task A_login_with_filter_syntax_finds_nobody(string login)
    {
        Assert.That((await FindAsync(PlainResolver(), login)).Status, Is.EqualTo(UserLookupStatus.NotFound));
    }

    [Test]
    public async Task The_password_is_checked_with_one_bind_as_the_users_dn()
    {
        var resolver = PlainResolver();
        var alice = (await FindAsync(resolver, "alice")).User!;
        var before = Slapd.BindCount(alice.Id);

        var right = await resolver.CheckPasswordAsync(alice, "alice-password", CancellationToken.None);
        var wrong = await resolver.CheckPasswordAsync(alice, "alice-passwort", CancellationToken.None);

        Assert.That(right, Is.EqualTo(PasswordCheckResult.Ok));
        Assert.That(wrong, Is.EqualTo(PasswordCheckResult.Wrong));
        Assert.That(() => Slapd.BindCount(alice.Id) - before, Is.EqualTo(2).After(2000, 50));
    }

    [Test]
    public async Task An_empty_password_is_wrong_without_any_bind()
    {
        var resolver = PlainResolver();
        var alice = (await FindAsync(resolver, "alice")).User!;
        await resolver.CheckPasswordAsync(alice, "alice-password", CancellationToken.None);
        await Task.Delay(200);
        var before = Slapd.BindCount(alice.Id);

        var result = await resolver.CheckPasswordAsync(alice, string.Empty, CancellationToken.None);

        Assert.That(result, Is.EqualTo(PasswordCheckResult.Wrong));
        await Task.Delay(200);
        Assert.That(Slapd.BindCount(alice.Id), Is.EqualTo(before));
    }

    private int Accepts() => Slapd.Log.Split('\n').Count(l => l.Contains(" ACCEPT from ", StringComparison.Ordinal));

    [Test]
    public async Task The_address_is_read_from_the_directory_each_time()
    {
        var resolver = PlainResolver();
        var carol = (await FindAsync(resolver, "carol")).User!;
        await Slapd.ModifyAsync("dn: uid=carol,ou=people,dc=example,dc=com\nchangetype: modify\nreplace: mail\nmail: carol.new@corp.example\n");

        var read = await resolver.ReadEmailAsync(carol, CancellationToken.None);

        Assert.That(read.User!.Email, Is.EqualTo("carol.new@corp.example"));
        await Slapd.ModifyAsync("dn: uid=carol,ou=people,dc=example,dc=com\nchangetype: modify\nreplace: mail\nmail: carol@corp.example\n");
    }

    [Test]
    public async Task Connections_are_pooled_and_reused()
    {
        var resolver = Resolver(Settings(Slapd.LdapUri) with { CacheDuration = TimeSpan.Zero });
        var alice = (await FindAsync(resolver, "alice")).User!;
        await resolver.CheckPasswordAsync(alice, "alice-password", CancellationToken.None);
        await Task.Delay(200);
        var accepted = Accepts();
        Assert.That(accepted, Is.GreaterThan(0), "slapd logs each ACCEPT");

        for (var i = 0; i < 5; i++)
        {
            Assert.That((await FindAsync(resolver, "alice")).Status, Is.EqualTo(UserLookupStatus.Found));
            Assert.That(await resolver.CheckPasswordAsync(alice, "alice-password", CancellationToken.None), Is.EqualTo(PasswordCheckResult.Ok));
        }

        await Task.Delay(200);
        Assert.That(Accepts(), Is.EqualTo(accepted), "no new connection after the first search and the first bind");
    }

    [Test]
    public async Task The_connection_test_binds_the_service_account_and_names_a_refusal()
    {
        var good = await PlainResolver().TestConnectionAsync(CancellationToken.None);
        var settings = Settings(Slapd.LdapUri) with { BindPassword = new Infrastructure.Ldap.LdapSecret("wrong") };
        var bad = await Resolver(settings).TestConnectionAsync(CancellationToken.None);

        Assert.That(good, Is.Null);
        Assert.That(bad, Does.Contain(Slapd.LdapUri).And.Contain("service account was refused"));
        Assert.That(bad, Does.Not.Contain("wrong"));
    }
}
