using NUnit.Framework;
using System.Text;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// Issue 7 item 4 end to end: after the PIN → OTP flow the Access-Accept carries the reply attributes of the winning policy
/// and the client, vendor attributes included, as FreeRADIUS's radclient decodes them with its own dictionaries.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ReplyAttributesEndToEndTests
{
    private const string Secret = "testing123";

    [Test]
    public async Task The_accept_carries_the_policy_attributes_including_vendor_ones()
    {
        await using var server = await StartAsync(TestServer.DefaultClients + """

            [[policy]]
            name = "vpn"
            user = "*"
            reply_attributes = [
                "Class = \"OU=vpn-users;\"",
                "Filter-Id = \"staff\"",
                "Session-Timeout = 3600",
                "Framed-IP-Address = 10.8.0.5",
                "Cisco-AVPair = \"shell:priv-lvl=15\"",
                "Fortinet-Group-Name = \"${realm}-vpn\"",
            ]
            """);

        var accept = await LoginAsync(server, "alice", "1234", mail: 1);

        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept.ToString());
        // radclient prints Class (octets) in hex; the rest by their types.
        Assert.That(accept.Attribute("Class"), Is.EqualTo("0x" + Convert.ToHexStringLower("OU=vpn-users;"u8)), accept.ToString());
        Assert.That(accept.Attribute("Filter-Id"), Is.EqualTo("\"staff\""));
        Assert.That(accept.Attribute("Session-Timeout"), Is.EqualTo("3600"));
        Assert.That(accept.Attribute("Framed-IP-Address"), Is.EqualTo("10.8.0.5"));
        Assert.That(accept.Attribute("Cisco-AVPair"), Is.EqualTo("\"shell:priv-lvl=15\""));
        Assert.That(accept.Attribute("Fortinet-Group-Name"), Is.EqualTo("\"example.com-vpn\""));
        Assert.That(server.Log.Text, Does.Contain("Login OK: [alice]"));
    }

    [Test]
    public async Task A_client_list_applies_and_the_policy_wins_for_the_attributes_it_names()
    {
        await using var server = await StartAsync("""
            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            reply_attributes = ["Filter-Id = \"from-client\"", "Reply-Message = \"Welcome ${user}\"", "Juniper-Local-User-Name = \"remote\""]

            [[policy]]
            name = "staff"
            user = "alice"
            reply_attributes = ["Filter-Id = \"from-policy\""]
            """);

        var accept = await LoginAsync(server, "alice", "1234", mail: 1);

        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept.ToString());
        Assert.That(accept.Attributes.Where(a => a.Name == "Filter-Id").Select(a => a.Value), Is.EqualTo(new[] { "\"from-policy\"" }), accept.ToString());
        Assert.That(accept.Attribute("Reply-Message"), Is.EqualTo("\"Welcome alice\""));
        Assert.That(accept.Attribute("Juniper-Local-User-Name"), Is.EqualTo("\"remote\""));
    }

    [Test]
    public async Task The_most_specific_policy_wins_with_its_whole_list()
    {
        await using var server = await StartAsync(TestServer.DefaultClients + """

            [[policy]]
            name = "everyone"
            user = "*"
            reply_attributes = ["Class = \"OU=users;\"", "Session-Timeout = 600"]

            [[policy]]
            name = "admins"
            user = "alice"
            reply_attributes = ["Class = \"OU=admins;\"", "Cisco-AVPair = \"shell:priv-lvl=15\""]
            """);
        await TokenCli.EnrollAsync(server.ConfigPath, "bob", "bob@example.com", "5678");

        var alice = await LoginAsync(server, "alice", "1234", mail: 1);
        var bob = await LoginAsync(server, "bob", "5678", mail: 2);

        Assert.That(alice.ReplyCode, Is.EqualTo("Access-Accept"), alice.ToString());
        Assert.That(alice.Attribute("Class"), Is.EqualTo("0x" + Convert.ToHexStringLower("OU=admins;"u8)));
        Assert.That(alice.Attribute("Cisco-AVPair"), Is.EqualTo("\"shell:priv-lvl=15\""));
        Assert.That(alice.Attribute("Session-Timeout"), Is.Null, "the broader policy's list is not merged in");
        Assert.That(bob.ReplyCode, Is.EqualTo("Access-Accept"), bob.ToString());
        Assert.That(bob.Attribute("Class"), Is.EqualTo("0x" + Convert.ToHexStringLower("OU=users;"u8)));
        Assert.That(bob.Attribute("Session-Timeout"), Is.EqualTo("600"));
        Assert.That(bob.Attribute("Cisco-AVPair"), Is.Null);
    }

    [Test]
    public async Task Client_attributes_the_policy_names_are_left_out_so_the_accept_fits()
    {
        var nine = string.Join(", ", Enumerable.Repeat($"\"Filter-Id = \\\"{new string('x', 253)}\\\"\"", 9));
        await using var server = await StartAsync($$"""
            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            reply_attributes = [{{nine}}]

            [[policy]]
            name = "big"
            user = "*"
            reply_attributes = ["Class = \"OU=big;\"", {{nine}}]
            """);

        var reply = await LoginAsync(server, "alice", "1234", mail: 1);

        // The policy names Filter-Id, so the client's nine are left out: 10 attributes fit.
        Assert.That(reply.ReplyCode, Is.EqualTo("Access-Accept"), reply.ToString());
        Assert.That(reply.Attributes.Count(a => a.Name == "Filter-Id"), Is.EqualTo(9));
    }

    [Test]
    public async Task A_reply_past_4096_octets_becomes_a_reject_with_a_log_line()
    {
        var nine = string.Join(", ", Enumerable.Repeat($"\"Filter-Id = \\\"{new string('x', 253)}\\\"\"", 9));
        var nineClass = string.Join(", ", Enumerable.Repeat($"\"Class = \\\"{new string('y', 253)}\\\"\"", 9));
        await using var server = await StartAsync($$"""
            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            reply_attributes = [{{nineClass}}]

            [[policy]]
            name = "big"
            user = "*"
            reply_attributes = [{{nine}}]
            """);

        var reply = await LoginAsync(server, "alice", "1234", mail: 1);

        Assert.That(reply.ReplyCode, Is.EqualTo("Access-Reject"), reply.ToString());
        Assert.That(server.Log.Text, Does.Contain("Access-Accept for [alice] replaced by Access-Reject: the reply would be 4628 octets"));
        Assert.That(server.Log.Text, Does.Contain("Login incorrect (reply attributes do not fit): [alice]"));
    }

    private static async Task<TestServer> StartAsync(string extraToml)
    {
        Radclient.RequireInstalled();
        var server = await TestServer.StartAsync(extraToml);
        try
        {
            await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "1234");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>PIN → Access-Challenge → the mailed OTP with the State → the final reply.</summary>
    private static async Task<RadclientResult> LoginAsync(TestServer server, string user, string pin, int mail)
    {
        var challenge = await Radclient.RunAsync(server.EndPoint, "auth", Secret, Input(user, pin));
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge.ToString());
        var otp = await server.Outbox.WaitForOtpAsync(mail);
        return await Radclient.RunAsync(server.EndPoint, "auth", Secret, Input(user, otp, challenge.Attribute("State")));
    }

    private static string Input(string user, string password, string? state = null)
    {
        var input = new StringBuilder($"User-Name = \"{user}\"\nUser-Password = \"{password}\"\n");
        if (state is not null)
        {
            input.Append($"State = {state}\n");
        }

        return input.Append("Message-Authenticator = 0x00\n").ToString();
    }
}
