using RadiusEmailOtp.Otp.Policies;
using static RadiusEmailOtp.Otp.Tests.Policies.PolicyEmailRouteSelectorTests;

namespace RadiusEmailOtp.Otp.Tests.Policies;

/// <summary>The <c>resolver:</c> and <c>name.resolver:</c> forms of a policy's user list (issue 9, item 6).</summary>
public sealed class PolicyResolverFormTests
{
    [TestCase("corp:", "*", "corp")]
    [TestCase("alice.corp:", "alice", "corp")]
    [TestCase("john.doe.corp:", "john.doe", "corp")]
    [TestCase("a*.corp:", "a*", "corp")]
    [TestCase(" ! corp: ", "*", "corp")]
    public void Resolver_forms_parse_to_a_name_and_a_resolver(string text, string pattern, string resolver)
    {
        var parsed = PolicyNamePattern.Parse(text, allowRealm: true);

        Assert.That(parsed.Pattern, Is.EqualTo(pattern));
        Assert.That(parsed.Resolver, Is.EqualTo(resolver));
        Assert.That(parsed.Realm, Is.Null);
        Assert.That(parsed.Negated, Is.EqualTo(text.Contains('!')));
    }

    [Test]
    public void Other_forms_and_realm_lists_have_no_resolver()
    {
        Assert.That(PolicyNamePattern.Parse("alice@corp", allowRealm: true).Resolver, Is.Null);
        Assert.That(PolicyNamePattern.Parse("alice", allowRealm: true).Resolver, Is.Null);
        Assert.That(PolicyNamePattern.Parse("corp:", allowRealm: false).Resolver, Is.Null, "a realm list has no resolver form");
    }

    [TestCase("corp:")]
    [TestCase("alice.corp:")]
    [TestCase("!a*.corp:")]
    public void Resolver_forms_print_as_written(string text) =>
        Assert.That(PolicyNamePattern.Parse(text, allowRealm: true).ToString(), Is.EqualTo(text));

    [Test]
    public void A_resolver_form_matches_only_users_found_in_that_resolver()
    {
        var selector = Routes(Policy("corp", "email_provider=corp", user: "corp:"));

        Assert.That(selector.Select("alice", "example.com", "corp", null).Providers, Is.EqualTo(new[] { "corp" }));
        Assert.That(selector.Select("alice", "example.com", "CORP", null).Providers, Is.EqualTo(new[] { "corp" }), "resolver names are case-insensitive");
        Assert.That(selector.Select("alice", "example.com", Local, null).Providers, Is.EqualTo(new[] { "outbox" }), "a local user never matches corp:");
        Assert.That(selector.Select("alice", "example.com", "lab", null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void User_in_resolver_matches_that_user_only_in_that_resolver()
    {
        var selector = Routes(Policy("alice", "email_provider=alice", user: "alice.corp:"));

        Assert.That(selector.Select("alice", "r", "corp", null).Providers, Is.EqualTo(new[] { "alice" }));
        Assert.That(selector.Select("ALICE", "r", "corp", null).Providers, Is.EqualTo(new[] { "alice" }));
        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(selector.Select("bob", "r", "corp", null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Local_form_names_the_token_table_users()
    {
        var selector = Routes(Policy("local", "email_provider=local", user: "local:"));

        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "local" }));
        Assert.That(selector.Select("alice", "r", "corp", null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Negated_resolver_forms_exclude_even_beside_star()
    {
        var selector = Routes(
            Policy("not-corp", "email_provider=smtp", user: "*, !corp:"),
            Policy("not-bob", "emailsubject=S", user: "*, -bob.corp:"));

        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "smtp" }));
        Assert.That(selector.Select("alice", "r", "corp", null).Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(selector.Select("bob", "r", "corp", null).Subject, Is.Null);
        Assert.That(selector.Select("bob", "r", Local, null).Subject, Is.EqualTo("S"), "only bob of corp is excluded");
        Assert.That(selector.Select("carol", "r", "corp", null).Subject, Is.EqualTo("S"));
    }

    [Test]
    public void User_in_resolver_wins_over_resolver_over_star()
    {
        var selector = Routes(
            Policy("all", "email_provider=all", user: "*"),
            Policy("corp", "email_provider=corp", user: "corp:"),
            Policy("alice", "email_provider=alice", user: "alice.corp:"));

        Assert.That(selector.Select("alice", "r", "corp", null).Providers, Is.EqualTo(new[] { "alice" }));
        Assert.That(selector.Select("bob", "r", "corp", null).Providers, Is.EqualTo(new[] { "corp" }));
        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "all" }));
    }

    [Test]
    public void The_resolver_ranks_above_the_realm_within_the_same_name_part()
    {
        // alice.corp: > alice@r > alice > a*.corp: > a*@r > a* > corp: > *@r > *; the name part decides first.
        string[] order = ["alice.corp:", "alice@r", "alice", "a*.corp:", "a*@r", "a*", "corp:", "*@r", "*"];
        for (var i = 0; i < order.Length; i++)
        {
            var policies = order.Skip(i).Select(u => Policy("p" + u, "email_provider=" + u, user: u)).ToArray();

            Assert.That(Routes(policies).Select("alice", "r", "corp", null).Providers, Is.EqualTo(new[] { order[i] }), $"{order[i]} wins over the rest");
        }
    }

    [Test]
    public void Resolver_and_realm_forms_of_one_name_do_not_tie()
    {
        var policies = new[] { Policy("a", "email_provider=x", user: "*@r"), Policy("b", "email_provider=y", user: "corp:") };

        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), Is.Empty);
    }

    [TestCase("corp:", "corp:", true)]
    [TestCase("corp:", "CORP:", true)]
    [TestCase("corp:", "lab:", false)]
    [TestCase("alice.corp:", "alice.lab:", false)]
    [TestCase("alice.corp:", "alice.corp:, bob", true)]
    [TestCase("alice.corp:", "!alice, alice.corp:", false)]
    [TestCase("corp:", "!corp:, corp:", false)]
    [TestCase("a*.corp:", "al*.corp:", true)]
    public void Resolver_forms_that_can_tie_are_a_contradiction(string userA, string userB, bool expected)
    {
        var policies = new[] { Policy("a", "email_provider=x", user: userA), Policy("b", "email_provider=y", user: userB) };

        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), expected ? Has.Count.EqualTo(1) : Is.Empty);
    }

    [Test]
    public void Reply_attributes_are_selected_by_resolver_too()
    {
        var selector = new PolicyReplyAttributeSelector([
            PolicyReplyAttributeSelectorTests.With("corp", ["Class = \"corp\""], user: "corp:"),
            PolicyReplyAttributeSelectorTests.With("all", ["Class = \"all\""], user: "*"),
        ]);

        Assert.That(selector.Select("alice", "r", "corp", null)!.Name, Is.EqualTo("corp"));
        Assert.That(selector.Select("alice", "r", Local, null)!.Name, Is.EqualTo("all"));
    }

    private static PolicyEmailRouteSelector Routes(params EmailPolicy[] policies) => new(policies, "outbox");
}
