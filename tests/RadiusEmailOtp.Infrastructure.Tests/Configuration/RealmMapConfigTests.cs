using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>The realm map (<c>[realms."NAME"]</c>), <c>otppin = "password"</c> and <c>autoenroll</c> (issue 9, items 2, 3, 5).</summary>
public sealed class RealmMapConfigTests
{
    // Lines 1..6: a valid LDAP resolver "Corp"; the tests' own lines start at 7.
    internal const string Corp = """
        [[resolver]]
        name = "Corp"
        uri = ["ldap://127.0.0.1:3389"]
        bind_dn = "cn=reader,dc=example,dc=com"
        bind_password = "s3cret"
        base_dn = "ou=people,dc=example,dc=com"

        """;

    [Test]
    public void Without_a_realm_map_there_are_no_entries_and_autoenroll_is_off()
    {
        var config = Load("[server]\n", out _);

        Assert.That(config!.Realms, Is.Empty);
        Assert.That(config.EmailToken.AutoEnroll, Is.False);
    }

    [Test]
    public void Realm_entries_keep_their_resolver_order_and_their_otppin()
    {
        var config = Load(Corp + """
            [realms."Example.COM"]
            resolvers = ["corp", "local"]
            otppin = "password"
            [realms."lab.example.com"]
            resolvers = ["local"]
            otppin = "ONLY_OTP"
            [realms."plain.example.com"]
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join('\n', diagnostics.Items));
        Assert.That(config!.Realms.Select(r => r.Realm), Is.EqualTo(new[] { "example.com", "lab.example.com", "plain.example.com" }));
        Assert.That(config.Realms[0].Resolvers, Is.EqualTo(new[] { "Corp", "local" }), "names as the [[resolver]] spells them");
        Assert.That(config.Realms[0].OtpPin, Is.EqualTo(OtpPinMode.Password));
        Assert.That(config.Realms[1].OtpPin, Is.EqualTo(OtpPinMode.OnlyOtp));
        Assert.That(config.Realms[2].Resolvers, Is.EqualTo(new[] { "local" }), "no resolvers key: the token table only");
        Assert.That(config.Realms[2].OtpPin, Is.Null, "no otppin: [email_token] otppin applies");
    }

    [Test]
    public void Email_token_accepts_otppin_password_and_autoenroll()
    {
        var config = Load(Corp + """
            [realms."example.com"]
            resolvers = ["corp"]
            [email_token]
            otppin = "password"
            autoenroll = true
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join('\n', diagnostics.Items));
        Assert.That(config!.EmailToken.OtpPin, Is.EqualTo(OtpPinMode.Password));
        Assert.That(config.EmailToken.AutoEnroll, Is.True);
        Assert.That(diagnostics.Items.Where(d => d.Message.StartsWith("[email_token]", StringComparison.Ordinal) || d.Message.StartsWith("[realms", StringComparison.Ordinal)), Is.Empty);
    }

    [TestCase("resolvers = [\"corp\", \"nosuch\"]", 8, "\"nosuch\" is not a resolver (known: local, Corp)")]
    [TestCase("resolvers = [\"corp\", \"CORP\"]", 8, "\"CORP\" is listed twice")]
    [TestCase("resolvers = []", 8, "must name at least one resolver")]
    [TestCase("resolvers = [1]", 8, "every element must be a string")]
    [TestCase("otppin = \"pasword\"", 8, "\"pasword\" is not one of token_pin, only_otp, ignore_pin, password")]
    [TestCase("resolver = [\"corp\"]", 8, "unknown key \"resolver\"")]
    public void A_wrong_realm_entry_is_an_error_on_its_line(string line, int expectedLine, string message)
    {
        var config = Load(Corp + "[realms.\"example.com\"]\n" + line + "\n", out var diagnostics);

        Assert.That(config, Is.Null);
        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Line, Is.EqualTo(expectedLine));
        Assert.That(error.Message, Does.StartWith("[realms.\"example.com\"]").And.Contain(message));
    }

    [Test]
    public void Two_entries_that_normalise_to_one_realm_are_an_error()
    {
        var config = Load("""
            [realms."example.com"]
            resolvers = ["local"]
            [realms." EXAMPLE.com"]
            resolvers = ["local"]
            """, out var diagnostics);

        Assert.That(config, Is.Null);
        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("realm \"example.com\" already has an entry (line 1)"));
    }

    [Test]
    public void A_realm_that_is_not_a_table_is_an_error()
    {
        var config = Load("[realms]\n\"example.com\" = \"corp\"\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).ToString(), Does.Contain("t.toml:2: error: [realms.\"example.com\"]: expected a table"));
    }

    [Test]
    public void An_unknown_email_token_key_is_still_an_error()
    {
        var config = Load("[email_token]\nauto_enroll = true\n", out var diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Single(d => d.IsError).Message, Does.Contain("unknown key \"auto_enroll\""));
    }

    [Test]
    public void Otppin_password_for_a_realm_with_only_local_warns_that_the_token_pin_stays()
    {
        var config = Load(Corp + """
            [realms."lab.example.com"]
            resolvers = ["local"]
            otppin = "password"
            [realms."example.com"]
            resolvers = ["corp"]
            otppin = "password"
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null);
        var warning = diagnostics.Items.Single(d => !d.IsError && d.Message.Contains("token PIN", StringComparison.Ordinal));
        Assert.That(warning.Line, Is.EqualTo(9));
        Assert.That(warning.Message, Does.Contain("realm \"lab.example.com\", whose only resolver is local").And.Contain("keep their token PIN"));
    }

    [Test]
    public void Global_otppin_password_warns_for_local_realms_and_the_default_realm_without_an_entry()
    {
        var config = Load(Corp + """
            [realms."lab.example.com"]
            resolvers = ["local"]
            [email_token]
            otppin = "password"
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null);
        var warnings = diagnostics.Items.Where(d => !d.IsError && d.Message.Contains("token PIN", StringComparison.Ordinal)).ToList();
        Assert.That(warnings.Select(w => w.Line), Is.EqualTo(new[] { 8, 10 }));
        Assert.That(warnings[0].Message, Does.Contain("(from [email_token]) applies to realm \"lab.example.com\""));
        Assert.That(warnings[1].Message, Does.StartWith("[email_token] otppin").And.Contain("the default realm \"example.com\""));
    }

    [Test]
    public void Global_otppin_password_does_not_warn_when_the_default_realm_maps_to_a_directory()
    {
        var config = Load(Corp + """
            [realms."example.com"]
            resolvers = ["corp", "local"]
            [email_token]
            otppin = "password"
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(diagnostics.Items.Where(d => d.Message.Contains("token PIN", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Autoenroll_without_a_directory_realm_warns_that_it_has_nothing_to_do()
    {
        var config = Load("[email_token]\nautoenroll = true\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, "a warning, not an error");
        var warning = diagnostics.Items.Single(d => !d.IsError && d.Message.Contains("autoenroll", StringComparison.Ordinal));
        Assert.That(warning.Line, Is.EqualTo(2));
        Assert.That(warning.Message, Does.Contain("no [realms] entry maps a realm to an LDAP resolver"));
    }

    [Test]
    public void Autoenroll_without_otppin_password_on_a_directory_realm_warns()
    {
        var config = Load(Corp + """
            [realms."example.com"]
            resolvers = ["corp"]
            [email_token]
            autoenroll = "yes"
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(diagnostics.Items.Single(d => d.Message.Contains("autoenroll", StringComparison.Ordinal)).Message, Does.Contain("only otppin = \"password\" checks").And.Contain("(example.com)"));
    }

    internal static AppConfig? Load(string text, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", text, diagnostics);
    }
}
