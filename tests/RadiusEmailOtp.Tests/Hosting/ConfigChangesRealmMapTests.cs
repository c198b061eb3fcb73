using NUnit.Framework;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Tests.Hosting;

/// <summary>A reload may change the realm map, otppin and autoenroll: they are named in the summary, never a restart.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConfigChangesRealmMapTests
{
    private const string Base = """
        [realms."example.com"]
        resolvers = ["local"]
        [realms."lab.example.com"]
        otppin = "only_otp"
        """;

    [Test]
    public void Realm_entries_added_removed_and_changed_are_named()
    {
        var changes = Compute(Base, """
            [realms."example.com"]
            resolvers = ["local"]
            otppin = "ignore_pin"
            [realms."new.example.com"]
            """);

        Assert.That(changes.Summary, Is.EqualTo("realms added new.example.com, removed lab.example.com, changed example.com"));
        Assert.That(changes.NeedRestart, Is.Empty);
    }

    [Test]
    public void Otppin_password_and_autoenroll_are_an_email_token_change()
    {
        var changes = Compute(Base, Base + "\n[email_token]\notppin = \"password\"\nautoenroll = true\n");

        Assert.That(changes.Summary, Is.EqualTo("email_token changed"));
        Assert.That(changes.NeedRestart, Is.Empty);
    }

    [Test]
    public void The_same_realm_map_is_no_change()
    {
        Assert.That(Compute(Base, Base.Replace("example.com\"]", "EXAMPLE.com\"]", StringComparison.Ordinal)).Summary, Is.EqualTo("nothing changed"));
    }

    private static ConfigChanges Compute(string before, string after)
    {
        var running = Bind(before);
        return ConfigChanges.Compute(running, null, running.Server, Bind(after), null);
    }

    private static AppConfig Bind(string text)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", text, diagnostics);
        Assert.That(config, Is.Not.Null, string.Join('\n', diagnostics.Items));
        return config!;
    }
}
