using System.Net;
using RadiusEmailOtp.Otp.Policies;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Policies;

/// <summary>reply_attributes are resolved like an action: the most specific matching policy that sets them wins, list and all.</summary>
public sealed class PolicyReplyAttributeSelectorTests
{
    private const string Local = EmailToken.LocalResolver;

    private static readonly IPAddress s_nasA = IPAddress.Parse("10.0.0.1");

    [Test]
    public void No_policy_with_reply_attributes_selects_none()
    {
        var selector = new PolicyReplyAttributeSelector([PolicyEmailRouteSelectorTests.Policy("mail", "email_provider=x", user: "*")]);

        Assert.That(selector.Select("alice", "example.com", Local, s_nasA), Is.Null);
    }

    [Test]
    public void The_most_specific_policy_that_sets_reply_attributes_wins()
    {
        var selector = new PolicyReplyAttributeSelector([
            With("everyone", ["Class = \"all\""], user: "*"),
            With("alice", ["Class = \"alice\""], user: "alice"),
            With("nas-a", ["Class = \"nas-a\""], client: "10.0.0.0/24"),
            // More specific for alice, but sets no reply attributes: it does not hide the one that does.
            PolicyEmailRouteSelectorTests.Policy("alice-mail", "email_provider=x", user: "alice", realm: "example.com"),
        ]);

        Assert.That(selector.Select("alice", "example.com", Local, s_nasA)!.Name, Is.EqualTo("alice"));
        Assert.That(selector.Select("bob", "example.com", Local, s_nasA)!.Name, Is.EqualTo("nas-a"), "user * ties, the longer client prefix wins");
        Assert.That(selector.Select("bob", "example.com", Local, IPAddress.Loopback)!.Name, Is.EqualTo("everyone"));
    }

    [Test]
    public void Lower_priority_breaks_a_tie_and_inactive_policies_are_ignored()
    {
        var selector = new PolicyReplyAttributeSelector([
            With("b", ["Filter-Id = b"], user: "*", priority: 1),
            With("a", ["Filter-Id = a"], user: "*", priority: 2),
            With("off", ["Filter-Id = off"], user: "*", active: false),
        ]);

        Assert.That(selector.Select("carol", "r", Local, null)!.Name, Is.EqualTo("b"));
    }

    [Test]
    public void An_empty_list_still_wins_so_a_narrow_policy_can_send_nothing()
    {
        var selector = new PolicyReplyAttributeSelector([
            With("everyone", ["Class = \"all\""], user: "*"),
            With("guest", [], user: "guest"),
        ]);

        var winner = selector.Select("guest", "r", Local, null)!;

        Assert.That(winner.Name, Is.EqualTo("guest"));
        Assert.That(winner.Actions.ReplyAttributes, Is.Empty);
    }

    [Test]
    public void A_policy_with_only_reply_attributes_does_not_name_the_mail_route()
    {
        var route = new PolicyEmailRouteSelector([With("groups", ["Class = \"x\""], user: "alice")], "outbox").Select("alice", "r", Local, null);

        Assert.That(route.Providers, Is.EqualTo(new[] { "outbox" }));
        Assert.That(route.PolicyName, Is.Null);
    }

    internal static EmailPolicy With(string name, string[] replyAttributes, string user = "", string client = "", int priority = 0, bool active = true)
    {
        var policy = PolicyEmailRouteSelectorTests.Policy(name, string.Empty, user: user, client: client, priority: priority);
        return policy with { Actions = policy.Actions with { ReplyAttributes = replyAttributes }, Active = active };
    }
}
