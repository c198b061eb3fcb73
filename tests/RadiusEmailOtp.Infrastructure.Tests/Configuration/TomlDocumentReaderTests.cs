using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

[TestFixture]
public sealed class TomlDocumentReaderTests
{
    [Test]
    public void Array_of_tables_split_by_another_table_keeps_every_entry()
    {
        // TOML 1.0 §Array of Tables: [[client]] entries need not be contiguous; an admin adds a NAS at the end of the file.
        var root = Read("""
            [[client]]
            name = "a"

            [email_token]
            max_fail = 3

            [[client]]
            name = "b"
            """);
        var clients = (TomlArrayNode)root["client"]!;
        Assert.That(clients.Items.Select(t => ((TomlScalarNode)((TomlTableNode)t)["name"]!).Value), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(((TomlTableNode)clients.Items[1]).Line, Is.EqualTo(8));
        Assert.That(root["email_token"], Is.InstanceOf<TomlTableNode>());
    }

    [Test]
    public void Sub_table_declared_after_another_table_is_merged_into_its_parent()
    {
        var root = Read("""
            [a]
            x = 1

            [b]
            y = 2

            [a.c]
            z = 3
            """);
        var a = (TomlTableNode)root["a"]!;
        Assert.That(a.ContainsKey("x"), Is.True);
        Assert.That(((TomlTableNode)a["c"]!).ContainsKey("z"), Is.True);
    }

    [Test]
    public void Second_client_after_the_email_token_table_is_loaded()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var config = AppConfigLoader.Bind("t.toml", """
            [server]

            [[client]]
            name = "one"
            ipaddr = "127.0.0.1"
            secret = "s1"

            [email_token]
            max_fail = 3

            [[client]]
            name = "two"
            ipaddr = "127.0.0.2"
            secret = "s2"
            """, diagnostics);
        Assert.That(diagnostics.Items.Where(d => d.IsError), Is.Empty);
        Assert.That(config!.Clients.Select(c => c.Name), Is.EqualTo(new[] { "one", "two" }));
    }

    private static TomlTableNode Read(string text)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");
        var root = TomlDocumentReader.Read(text, diagnostics);
        Assert.That(diagnostics.Items, Is.Empty);
        return root!;
    }
}
