using System.Net;
using RadiusEmailOtp.Otp.Policies;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Policies;

public sealed class PolicyEmailRouteSelectorTests
{
    internal const string Local = EmailToken.LocalResolver;

    [Test]
    public void No_policy_routes_to_the_default_provider()
    {
        var route = Selector().Select("alice", "example.com", Local, IPAddress.Loopback);

        Assert.That(route.Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(route.PolicyName, Is.Null);
    }

    [Test]
    public void Imported_default_is_used_when_it_is_the_default_provider()
    {
        var route = new PolicyEmailRouteSelector([], "imported_default").Select("alice", "r", Local, null);

        Assert.That(route.Providers, Is.EqualTo(new[] { "imported_default" }));
    }

    [Test]
    public void Exact_user_wins_over_wildcard_user()
    {
        var selector = Selector(
            Policy("all", "email_provider=wide", user: "*"),
            Policy("prefix", "email_provider=prefix", user: "a*"),
            Policy("alice", "email_provider=exact", user: "alice"));

        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "exact" }));
        Assert.That(selector.Select("anna", "r", Local, null).Providers, Is.EqualTo(new[] { "prefix" }));
        Assert.That(selector.Select("bob", "r", Local, null).Providers, Is.EqualTo(new[] { "wide" }));
    }

    [Test]
    public void User_at_realm_and_star_at_realm_match_only_that_realm()
    {
        var selector = Selector(
            Policy("corp", "email_provider=corp", user: "*@corp.example"),
            Policy("alice", "email_provider=alice", user: "alice@corp.example"));

        Assert.That(selector.Select("alice", "corp.example", Local, null).Providers, Is.EqualTo(new[] { "alice" }));
        Assert.That(selector.Select("bob", "CORP.example", Local, null).Providers, Is.EqualTo(new[] { "corp" }));
        Assert.That(selector.Select("alice", "other.example", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Exact_realm_wins_over_star_realm()
    {
        var selector = Selector(
            Policy("any", "email_provider=any", realm: "*"),
            Policy("corp", "email_provider=corp", realm: "corp.example"));

        Assert.That(selector.Select("u", "corp.example", Local, null).Providers, Is.EqualTo(new[] { "corp" }));
        Assert.That(selector.Select("u", "else", Local, null).Providers, Is.EqualTo(new[] { "any" }));
    }

    [Test]
    public void Longest_client_prefix_wins_for_ipv4_and_ipv6()
    {
        var selector = Selector(
            Policy("wide4", "email_provider=wide4", client: "10.0.0.0/8"),
            Policy("narrow4", "email_provider=narrow4", client: "10.1.2.0/24"),
            Policy("wide6", "email_provider=wide6", client: "2001:db8::/32"),
            Policy("narrow6", "email_provider=narrow6", client: "2001:db8:1::/48"));

        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("10.1.2.3")).Providers, Is.EqualTo(new[] { "narrow4" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("10.9.9.9")).Providers, Is.EqualTo(new[] { "wide4" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("::ffff:10.1.2.3")).Providers, Is.EqualTo(new[] { "narrow4" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("2001:db8:1::5")).Providers, Is.EqualTo(new[] { "narrow6" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("2001:db8:2::5")).Providers, Is.EqualTo(new[] { "wide6" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("192.0.2.1")).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Negated_client_excludes_even_beside_star()
    {
        var selector = Selector(Policy("p", "email_provider=smtp", client: "*, !10.0.0.0/8"));

        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("10.1.1.1")).Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(selector.Select("u", "r", Local, IPAddress.Parse("192.0.2.1")).Providers, Is.EqualTo(new[] { "smtp" }));
    }

    [Test]
    public void Negated_user_and_realm_exclude_even_beside_star()
    {
        var selector = Selector(Policy("p", "email_provider=smtp", user: "*, !bob, -carol", realm: "*, !lab"));

        Assert.That(selector.Select("alice", "corp", Local, null).Providers, Is.EqualTo(new[] { "smtp" }));
        Assert.That(selector.Select("bob", "corp", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(selector.Select("carol", "corp", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(selector.Select("alice", "lab", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void A_list_of_only_negations_means_everyone_else()
    {
        var selector = Selector(Policy("p", "email_provider=smtp", user: "!bob"));

        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "smtp" }));
        Assert.That(selector.Select("bob", "r", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Lower_priority_wins_among_equally_specific_policies()
    {
        var selector = Selector(
            Policy("a", "email_provider=second", priority: 5),
            Policy("b", "email_provider=first", priority: 1));

        Assert.That(selector.Select("u", "r", Local, null).Providers, Is.EqualTo(new[] { "first" }));
    }

    [Test]
    public void Specificity_wins_over_priority()
    {
        var selector = Selector(
            Policy("broad", "email_provider=broad", priority: 1),
            Policy("alice", "email_provider=alice", user: "alice", priority: 9));

        Assert.That(selector.Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "alice" }));
    }

    [Test]
    public void Provider_list_keeps_failover_order()
    {
        var route = Selector(Policy("p", "email_provider=primary backup  outbox")).Select("u", "r", Local, null);

        Assert.That(route.Providers, Is.EqualTo(new[] { "primary", "backup", "outbox" }));
        Assert.That(route.PolicyName, Is.EqualTo("p"));
    }

    [Test]
    public void Each_action_key_resolves_independently()
    {
        var selector = Selector(
            Policy("texts", "emailsubject='Hello, friend', emailtext=\"Code: ${otp}\", email_challenge_prompt=Check mail"),
            Policy("alice", "email_provider=smtp", user: "alice"));

        var route = selector.Select("alice", "r", Local, null);

        Assert.That(route.Providers, Is.EqualTo(new[] { "smtp" }));
        Assert.That(route.Subject, Is.EqualTo("Hello, friend"));
        Assert.That(route.Text, Is.EqualTo("Code: ${otp}"));
        Assert.That(route.ChallengePrompt, Is.EqualTo("Check mail"));
    }

    [Test]
    public void Inactive_policies_are_ignored()
    {
        var selector = Selector(Policy("p", "email_provider=smtp") with { Active = false });

        Assert.That(selector.Select("u", "r", Local, null).Providers, Is.EqualTo(new[] { "outbox" }));
    }

    [Test]
    public void Tie_resolves_by_name_and_is_reported_as_contradiction()
    {
        var policies = new[] { Policy("zeta", "email_provider=z"), Policy("alpha", "email_provider=a") };

        Assert.That(Selector(policies).Select("u", "r", Local, null).Providers, Is.EqualTo(new[] { "a" }));
        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), Has.Count.EqualTo(1).And.One.Contains("\"alpha\" wins"));
    }

    [Test]
    public void Same_values_are_not_a_contradiction()
    {
        var policies = new[] { Policy("a", "email_provider=x"), Policy("b", "email_provider=x, emailsubject=S") };

        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), Is.Empty);
    }

    [TestCase("alice", "alice,bob", "", "", true)]
    [TestCase("alice", "ALICE", "", "", true)]
    [TestCase("a*", "al*,bob", "", "", true)]
    [TestCase("alice", "a*", "", "", false)]
    [TestCase("a*", "b*", "", "", false)]
    [TestCase("alice", "bob,carol", "", "", false)]
    [TestCase("*", "!alice", "", "", true)]
    [TestCase("alice@corp", "alice@other", "", "", false)]
    [TestCase("alice", "alice", "10.0.0.0/8", "192.0.2.0/24,10.0.0.0/8", true)]
    [TestCase("alice", "alice", "10.0.0.0/8", "10.1.0.0/16", false)]
    [TestCase("alice", "alice", "10.0.0.0/8", "*", false)]
    public void Overlapping_policies_that_tie_at_run_time_are_a_contradiction(string userA, string userB, string clientA, string clientB, bool expected)
    {
        var policies = new[] { Policy("a", "email_provider=x", user: userA, client: clientA), Policy("b", "email_provider=y", user: userB, client: clientB) };

        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), expected ? Has.Count.EqualTo(1) : Is.Empty);
    }

    [Test]
    public void Overlapping_policies_with_different_priorities_or_realm_specificity_do_not_tie()
    {
        var byPriority = new[] { Policy("a", "email_provider=x", user: "alice"), Policy("b", "email_provider=y", user: "alice,bob", priority: 1) };
        var byRealm = new[] { Policy("a", "email_provider=x", realm: "corp"), Policy("b", "email_provider=y", realm: "*") };

        Assert.That(PolicyEmailRouteSelector.FindContradictions(byPriority), Is.Empty);
        Assert.That(PolicyEmailRouteSelector.FindContradictions(byRealm), Is.Empty);
    }

    [Test]
    public void A_detected_tie_is_real_the_selector_picks_by_name()
    {
        var policies = new[] { Policy("zeta", "email_provider=z", user: "alice"), Policy("alpha", "email_provider=a", user: "alice,bob") };

        Assert.That(Selector(policies).Select("alice", "r", Local, null).Providers, Is.EqualTo(new[] { "a" }));
        Assert.That(PolicyEmailRouteSelector.FindContradictions(policies), Has.One.Contains("\"alpha\" wins"));
    }

    [Test]
    public void Unknown_action_is_a_warning_and_bad_syntax_an_error()
    {
        var errors = new List<string>();
        var warnings = new List<string>();

        PolicyActionParser.Parse("otppin=1, nonsense, emailsubject='open", errors, warnings);

        Assert.That(warnings, Has.One.Contains("otppin"));
        Assert.That(errors, Has.Some.Contains("nonsense").And.Some.Contains("unterminated"));
    }

    [Test]
    public void Client_without_address_matches_only_star_policies()
    {
        var selector = Selector(Policy("net", "email_provider=net", client: "10.0.0.0/8"), Policy("all", "emailsubject=S"));

        var route = selector.Select("u", "r", Local, null);

        Assert.That(route.Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(route.Subject, Is.EqualTo("S"));
    }

    internal static EmailPolicy Policy(string name, string action, string user = "", string realm = "", string client = "", int priority = 0)
    {
        var errors = new List<string>();
        var actions = PolicyActionParser.Parse(action, errors, []);
        Assert.That(errors, Is.Empty);
        return new EmailPolicy(
            name,
            Split(user).Select(u => PolicyNamePattern.Parse(u, allowRealm: true)).ToList(),
            Split(realm).Select(r => PolicyNamePattern.Parse(r, allowRealm: false)).ToList(),
            Split(client).Select(ParseClient).ToList(),
            actions,
            Priority: priority);
    }

    private static PolicyEmailRouteSelector Selector(params EmailPolicy[] policies) => new(policies, "outbox");

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static PolicyClientPattern ParseClient(string text)
    {
        var negated = text[0] is '!' or '-';
        var body = negated ? text[1..] : text;
        return new PolicyClientPattern(body == "*" ? null : IPNetwork.Parse(body), negated);
    }
}
