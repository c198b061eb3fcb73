using NUnit.Framework;
using static RadiusEmailOtp.Infrastructure.Tests.Configuration.RealmMapConfigTests;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>The resolver forms of a policy's <c>user</c> list are checked against <c>[[resolver]]</c> + <c>local</c>.</summary>
public sealed class PolicyResolverConfigTests
{
    [Test]
    public void Known_resolvers_bind_into_the_policy()
    {
        var config = Load(Corp + Policy("corp:, alice.CORP:, !bob.corp:, local:"), out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join('\n', diagnostics.Items));
        var users = config!.Policies.Single().Users;
        Assert.That(users.Select(u => u.Resolver), Is.EqualTo(new[] { "corp", "CORP", "corp", "local" }));
        Assert.That(users.Select(u => u.ToString()), Is.EqualTo(new[] { "corp:", "alice.CORP:", "!bob.corp:", "local:" }));
    }

    [TestCase("lab:", "\"lab:\" names resolver \"lab\", which is not a resolver (known: local, Corp)")]
    [TestCase("alice, !bob.lab:", "\"!bob.lab:\" names resolver \"lab\"")]
    [TestCase(":", "\":\" needs a resolver name before the ':'")]
    [TestCase(".corp:", "\".corp:\" needs a user name before the '.'")]
    public void A_wrong_resolver_form_is_an_error_on_the_user_line(string user, string message)
    {
        var config = Load(Corp + Policy(user), out var diagnostics);

        Assert.That(config, Is.Null);
        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Line, Is.EqualTo(10), "the line of user =");
        Assert.That(error.Message, Does.StartWith("[[policy]] \"p\" user:").And.Contain(message));
    }

    [Test]
    public void Without_any_resolver_only_local_is_known()
    {
        var config = Load(Policy("corp:"), out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).Message, Does.Contain("(known: local)"));
    }

    [Test]
    public void A_resolver_with_an_error_of_its_own_is_still_known_by_name()
    {
        var config = Load(Corp.Replace("base_dn", "base_dnx", StringComparison.Ordinal) + Policy("corp:"), out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.Message), Has.None.Contains("[[policy]]"));
    }

    // Lines 7..10 after Corp: the user key on line 10.
    private static string Policy(string user) => $"""
        [[policy]]
        name = "p"
        action = "emailsubject=S"
        user = "{user}"

        """;
}
