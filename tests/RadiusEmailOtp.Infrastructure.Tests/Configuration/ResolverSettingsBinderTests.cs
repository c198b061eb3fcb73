using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Ldap;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

public sealed class ResolverSettingsBinderTests
{
    private const string Minimal = """
        [[resolver]]
        name = "corp"
        type = "ldap"
        uri = ["ldaps://dc1.example.com", "ldap://dc2.example.com:3389"]
        bind_dn = "cn=reader,dc=example,dc=com"
        bind_password = "s3cret"
        base_dn = "ou=people,dc=example,dc=com"
        """;

    [Test]
    public void A_resolver_gets_its_keys_and_the_documented_defaults()
    {
        var resolver = BindOne(Minimal);

        Assert.That(resolver.Name, Is.EqualTo("corp"));
        Assert.That(resolver.Uris, Is.EqualTo(new[] { new LdapUri(true, "dc1.example.com", 636), new LdapUri(false, "dc2.example.com", 3389) }));
        Assert.That(resolver.BindPassword!.Reveal(), Is.EqualTo("s3cret"));
        Assert.That(resolver.LoginAttributes, Is.EqualTo(new[] { "uid" }));
        Assert.That(resolver.EmailAttribute, Is.EqualTo("mail"));
        Assert.That(resolver.SearchFilter, Is.EqualTo("(objectClass=*)"));
        Assert.That((resolver.ConnectTimeout, resolver.ResponseTimeout), Is.EqualTo((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5))));
        Assert.That(resolver.CacheDuration, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(resolver.TlsVerify, Is.True);
    }

    [Test]
    public void The_settings_never_print_the_bind_password()
    {
        Assert.That(BindOne(Minimal).ToString(), Does.Not.Contain("s3cret"));
    }

    [Test]
    public void Every_key_is_bound()
    {
        var resolver = BindOne(Minimal.Replace("\"ldaps://dc1.example.com\", ", string.Empty, StringComparison.Ordinal) + """

            start_tls = true
            login_attribute = ["sAMAccountName", "userPrincipalName"]
            search_filter = "(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
            email_attribute = "proxyAddresses"
            timeout = "2;3.5"
            cache_seconds = 0
            """);

        Assert.That(resolver.StartTls, Is.True);
        Assert.That(resolver.LoginAttributes, Is.EqualTo(new[] { "sAMAccountName", "userPrincipalName" }));
        Assert.That(resolver.EmailAttribute, Is.EqualTo("proxyAddresses"));
        Assert.That((resolver.ConnectTimeout, resolver.ResponseTimeout), Is.EqualTo((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5))));
        Assert.That(resolver.CacheDuration, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void The_password_is_read_from_a_file_relative_to_the_config_or_from_the_environment()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reo-resolver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "ldap.secret"), "from-file\n");
            var fromFile = BindOne(Minimal.Replace("bind_password = \"s3cret\"", "bind_password_file = \"ldap.secret\"", StringComparison.Ordinal), Path.Combine(dir, "config.toml"));
            Environment.SetEnvironmentVariable("REO_TEST_LDAP_SECRET", "from-env");
            var fromEnv = BindOne(Minimal.Replace("bind_password = \"s3cret\"", "bind_password_env = \"REO_TEST_LDAP_SECRET\"", StringComparison.Ordinal));

            Assert.That(fromFile.BindPassword!.Reveal(), Is.EqualTo("from-file"));
            Assert.That(fromEnv.BindPassword!.Reveal(), Is.EqualTo("from-env"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("bind_password_env = \"X\"", 8, "exactly one of bind_password, bind_password_file, bind_password_env")]
    [TestCase("start_tls = true", 8, "start_tls is for ldap:// URIs")]
    [TestCase("timeout = \"5;0\"", 8, "is not \"connect;response\"")]
    [TestCase("search_filter = \"objectClass=user\"", 8, "is not one parenthesised LDAP filter")]
    [TestCase("search_filter = \"(a=b))(\"", 8, "is not one parenthesised LDAP filter")]
    [TestCase("login_attribute = [\"u id\"]", 8, "is not an attribute name")]
    [TestCase("cache_seconds = -1", 8, "cache_seconds")]
    [TestCase("ca_file = \"/nonexistent/ca.pem\"", 8, "does not exist")]
    [TestCase("colour = \"blue\"", 8, "unknown key \"colour\"")]
    public void Bad_values_are_errors_with_their_line(string line, int expectedLine, string expected)
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind("t.toml", Minimal + "\n" + line + "\n", diagnostics);

        Assert.That(config, Is.Null);
        Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.Some.Contains($"t.toml:{expectedLine}: error:").And.Contains(expected));
    }

    [TestCase("uri = \"http://dc1\"", "is not an ldap:// or ldaps:// URI")]
    [TestCase("uri = \"ldap://dc1/ou=people\"", "give only scheme, host and port")]
    [TestCase("type = \"ad\"", "\"ad\" is not one of ldap, local")]
    [TestCase("name = \"local\"", "the name \"local\" is the token table's resolver")]
    [TestCase("name = \"co rp\"", "must be letters, digits")]
    public void Bad_names_types_and_uris_are_errors(string replacement, string expected)
    {
        var key = replacement[..replacement.IndexOf(' ', StringComparison.Ordinal)];
        var lines = Minimal.Split('\n').Select(l => l.StartsWith(key + " ", StringComparison.Ordinal) ? replacement : l);
        var diagnostics = new ConfigDiagnostics("t.toml");

        Assert.That(AppConfigLoader.Bind("t.toml", string.Join('\n', lines), diagnostics), Is.Null);
        Assert.That(diagnostics.Items.Select(d => d.Message), Has.Some.Contains(expected));
    }

    [Test]
    public void Two_resolvers_of_one_name_are_an_error_and_local_may_be_listed()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        AppConfigLoader.Bind("t.toml", Minimal + "\n" + Minimal + "\n[[resolver]]\nname = \"local\"\ntype = \"local\"\n", diagnostics);

        Assert.That(diagnostics.Items.Select(d => d.ToString()), Has.One.Contains("t.toml:9: error:").And.Contains("defined twice"));
        Assert.That(diagnostics.Items.Select(d => d.Message), Has.None.Contains("local"));
    }

    [Test]
    public void Clear_text_to_a_remote_server_and_tls_verify_false_are_warnings()
    {
        var diagnostics = new ConfigDiagnostics("t.toml");

        var config = AppConfigLoader.Bind("t.toml", Minimal.Replace("\"ldaps://dc1.example.com\", ", string.Empty, StringComparison.Ordinal) + "\ntls_verify = false\n", diagnostics);

        Assert.That(config, Is.Not.Null);
        Assert.That(diagnostics.Items.Where(d => !d.IsError).Select(d => d.Message), Has.Some.Contains("clear text").And.Some.Contains("NOT verified"));
    }

    private static LdapResolverSettings BindOne(string text, string path = "t.toml")
    {
        var diagnostics = new ConfigDiagnostics(path);
        var config = AppConfigLoader.Bind(path, text, diagnostics);
        Assert.That(diagnostics.Items.Where(d => d.IsError), Is.Empty);
        return config!.Resolvers.Single();
    }
}
