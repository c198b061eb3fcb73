using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary><c>reply_attributes</c> in <c>[[policy]]</c> and <c>[[client]]</c> (issue 7 item 4): bound, checked against the dictionary, errors on their own lines.</summary>
public sealed class ReplyAttributeConfigTests
{
    private static readonly string s_dictionary = FindDictionary();

    private static string Server => $"[server]\ndictionary = \"{s_dictionary}\"\n";

    private const string Client = "[[client]]\nname = \"nas\"\nipaddr = \"127.0.0.1\"\nsecret = \"a-long-enough-secret\"\n";

    [Test]
    public void A_policy_with_only_reply_attributes_needs_no_action()
    {
        // Lines: 1-2 [server], 3-6 client, 7 [[policy]].
        var config = Bind(Server + Client + """
            [[policy]]
            name = "vpn"
            user = "*"
            reply_attributes = ["Class = \"OU=vpn;\"", "Cisco-AVPair = \"shell:priv-lvl=15\"", "Session-Timeout = 3600"]
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        var policy = config!.Policies.Single();
        Assert.That(policy.Actions.ReplyAttributes, Is.EqualTo(new[] { "Class = \"OU=vpn;\"", "Cisco-AVPair = \"shell:priv-lvl=15\"", "Session-Timeout = 3600" }));
        Assert.That(policy.Actions.EmailProviders, Is.Null);
    }

    // The README's examples for Cisco ASA/IOS, FortiGate and OpenVPN's radiusplugin.
    [TestCase("\"Class = \\\"OU=AnyConnect-Staff;\\\"\"", "\"ASA-Group-Policy = \\\"AnyConnect-Staff\\\"\"", "\"Cisco-AVPair = \\\"shell:priv-lvl=15\\\"\"")]
    [TestCase("\"Fortinet-Group-Name = \\\"vpn-staff\\\"\"", "\"Tunnel-Private-Group-Id:1 = \\\"100\\\"\"", "\"Session-Timeout = 28800\"")]
    [TestCase("\"Framed-IP-Address = 10.8.0.5\"", "\"Framed-Route = \\\"192.168.10.0/24 10.8.0.1/32 1\\\"\"", "\"Acct-Interim-Interval = 300\"")]
    public void The_readme_examples_load(params string[] items)
    {
        var config = Bind(Server + Client + $"[[policy]]\nname = \"vpn\"\nreply_attributes = [{string.Join(", ", items)}]\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Policies.Single().Actions.ReplyAttributes, Has.Count.EqualTo(3));
    }

    [Test]
    public void A_policy_without_action_or_reply_attributes_is_still_an_error()
    {
        var config = Bind(Server + Client + "[[policy]]\nname = \"empty\"\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.Message), Has.One.Contains("action is required"));
    }

    [Test]
    public void A_client_list_is_bound()
    {
        var config = Bind(Server + Client + "reply_attributes = [\"Fortinet-Group-Name = \\\"${realm}-vpn\\\"\"]\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.Clients.Single().ReplyAttributes, Is.EqualTo(new[] { "Fortinet-Group-Name = \"${realm}-vpn\"" }));
    }

    [Test]
    public void Every_bad_item_is_an_error_on_its_own_line()
    {
        var config = Bind(Server + Client + """
            [[policy]]
            name = "vpn"
            action = "emailsubject=Code"
            reply_attributes = [
                "Filter-Id = \"staff\"",
                "Fortinet-Group = \"x\"",
                "Session-Timeout = soon",
                "Message-Authenticator = 0x00",
                "Filter-Id = \"${username}\"",
            ]
            """, out var diagnostics);

        Assert.That(config, Is.Null);
        var errors = diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        Assert.That(errors, Has.Count.EqualTo(4), string.Join("\n", errors));
        Assert.That(errors[0], Does.StartWith("t.toml:12: error: [[policy]] \"vpn\" reply_attributes: \"Fortinet-Group = \"x\"\": unknown attribute Fortinet-Group"));
        Assert.That(errors[1], Does.StartWith("t.toml:13: error:").And.Contains("neither a number nor a VALUE name of Session-Timeout"));
        Assert.That(errors[2], Does.StartWith("t.toml:14: error:").And.Contains("Message-Authenticator cannot be set by configuration"));
        Assert.That(errors[3], Does.StartWith("t.toml:15: error:").And.Contains("unknown placeholder ${username}"));
    }

    [Test]
    public void A_bad_client_item_names_the_client_and_its_line()
    {
        var config = Bind(Server + Client + "reply_attributes = [\"State = 0x01\"]\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.StartWith("t.toml:7: error: [[client]] \"nas\" reply_attributes: \"State = 0x01\": State cannot be set"));
    }

    [TestCase("reply_attributes = \"Class = 0x01\"", "expected an array of strings")]
    [TestCase("reply_attributes = [1]", "every element must be a string")]
    public void Reply_attributes_must_be_a_list_of_strings(string line, string expected)
    {
        var config = Bind(Server + Client + line + "\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.StartWith("t.toml:7: error:").And.Contains(expected));
    }

    [Test]
    public void A_list_too_big_for_a_radius_packet_is_refused()
    {
        // 17 attributes of 2 + 253 octets are 4335 octets, past the 4058 an Access-Accept leaves.
        var items = string.Join(", ", Enumerable.Repeat($"\"Filter-Id = \\\"{new string('x', 253)}\\\"\"", 17));
        var config = Bind(Server + Client + $"reply_attributes = [{items}]\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.StartWith("t.toml:7: error:").And.Contains("4335 octets").And.Contains("4058"));
    }

    [Test]
    public void A_client_list_that_with_the_largest_policy_list_may_not_fit_is_a_warning()
    {
        var half = string.Join(", ", Enumerable.Repeat($"\"Filter-Id = \\\"{new string('x', 253)}\\\"\"", 9));
        var config = Bind(Server + Client + $"reply_attributes = [{half}]\n" + $"[[policy]]\nname = \"big\"\nreply_attributes = [{half}]\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(diagnostics.Items.Single(d => d.Message.Contains("reply_attributes")).ToString(), Does.StartWith("t.toml:7: warning:").And.Contains("policy \"big\"").And.Contains("4590 octets"));
    }

    [Test]
    public void A_broken_dictionary_is_reported_with_its_own_file_and_line_when_reply_attributes_need_it()
    {
        var directory = Path.Combine(Path.GetTempPath(), "reo-reply-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var broken = Path.Combine(directory, "dictionary");
            File.WriteAllText(broken, "ATTRIBUTE\tFilter-Id\t11\tstring\nATTRIBUTE\tBroken\n");
            var config = Bind($"[server]\ndictionary = \"{broken}\"\n" + Client + "reply_attributes = [\"Filter-Id = x\"]\n", out var diagnostics);

            Assert.That(config, Is.Null);
            Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.StartWith($"{broken}:2: error:").And.Contains("needed to check reply_attributes"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Without_reply_attributes_the_dictionary_is_not_loaded()
    {
        var config = Bind("[server]\ndictionary = \"/nonexistent/dictionary\"\n" + Client, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
    }

    [Test]
    public void Two_equally_specific_policies_with_different_reply_attributes_are_a_warning()
    {
        var config = Bind(Server + Client + """
            [[policy]]
            name = "a"
            reply_attributes = ["Filter-Id = a"]
            [[policy]]
            name = "b"
            reply_attributes = ["Filter-Id = b"]
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(diagnostics.Items.Single(d => d.Message.Contains("reply_attributes")).ToString(), Does.Contain("set reply_attributes differently; \"a\" wins (by name)"));
    }

    private static AppConfig? Bind(string text, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", text, diagnostics);
    }

    private static string FindDictionary()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadiusEmailOtp.sln")))
            {
                return Path.Combine(dir.FullName, "dictionaries", "dictionary");
            }
        }

        throw new InvalidOperationException("RadiusEmailOtp.sln not found above " + AppContext.BaseDirectory);
    }
}
