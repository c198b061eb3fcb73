using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Tests.Realms;

public sealed class RealmResolverTests
{
    [TestCase("alice@example.com", "alice", "example.com")]
    [TestCase("alice", "alice", "default.org")]
    [TestCase("Alice@EXAMPLE.Com", "alice", "example.com")]
    [TestCase("ÄLICE", "älice", "default.org")]
    [TestCase("a@b@corp.net", "a@b", "corp.net")]
    [TestCase("alice@", "alice", "default.org")]
    public void User_names_split_at_the_last_separator_and_users_and_realms_are_lowercased(string userName, string user, string realm)
    {
        var resolved = new RealmResolver(new RealmSettings("Default.ORG", "@")).Resolve(userName);

        Assert.That(resolved, Is.EqualTo(new UserIdentity(user, realm)));
    }

    [Test]
    public void The_separator_is_configurable()
    {
        Assert.That(new RealmResolver(new RealmSettings("x", "%")).Resolve("bob%corp"), Is.EqualTo(new UserIdentity("bob", "corp")));
    }
}
