using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

public sealed class EmailConfigBindingTests
{
    [Test]
    public void Toml_table_and_json_string_bind_the_same_settings()
    {
        var config = Load("""
            [[email_provider]]
            name = "table"
            class = "SMTPEmailProvider"
            default = true
            config = { SMTP_SERVER = "mail.example.com", USE_SSL = true, PORT = 465, SMTP_USER = "u", SMTP_PASSWORD = "p", EMAIL_FROM = "otp@example.com" }

            [[email_provider]]
            name = "json"
            class = "linotp.lib.emailprovider.SMTPEmailProvider"
            config = '{ "SMTP_SERVER": "mail.example.com", "USE_SSL": "TRUE", "PORT": "465", "SMTP_USER": "u", "SMTP_PASSWORD": "p", "EMAIL_FROM": "otp@example.com" }'
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        var table = config!.EmailProviders[0];
        var json = config.EmailProviders[1];
        Assert.That(json.Smtp, Is.EqualTo(table.Smtp));
        Assert.That(json.From, Is.EqualTo("otp@example.com"));
        Assert.That(json.Subject, Is.EqualTo("Your OTP"));
        Assert.That(json.Smtp!.Port, Is.EqualTo(465));
        Assert.That(json.Smtp.UseSsl, Is.True);
        Assert.That(json.Smtp.ToString(), Does.Not.Contain("p,").And.Not.Contain("Password"));
    }

    [Test]
    public void Single_quoted_json_is_an_error_that_says_to_use_double_quotes()
    {
        Load("""
            [[email_provider]]
            name = "corp"
            class = "SMTPEmailProvider"
            config = "{ 'SMTP_SERVER': 'mail.example.com' }"
            """, out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Message, Does.Contain("double quotes").And.Contain("single quotes"));
        Assert.That(error.Line, Is.EqualTo(4));
    }

    [TestCase("SMTPEmailProvider")]
    [TestCase("linotp.lib.emailprovider.SMTPEmailProvider")]
    [TestCase("linotp.provider.emailprovider.SMTPEmailProvider")]
    public void Linotp_class_names_select_the_smtp_provider(string className)
    {
        var config = Load($$"""
            [[email_provider]]
            name = "corp"
            class = "{{className}}"
            default = true
            config = { SMTP_SERVER = "mail.example.com" }
            """, out _);

        Assert.That(config!.EmailProviders.Single().Kind, Is.EqualTo(EmailProviderKind.Smtp));
        Assert.That(config.EmailProviders.Single().Smtp!.Port, Is.EqualTo(25));
        Assert.That(config.EmailProviders.Single().Timeout.Connect, Is.EqualTo(TimeSpan.FromSeconds(120)));
    }

    [Test]
    public void Unknown_class_is_an_error_with_its_line()
    {
        Load("[[email_provider]]\nname = \"x\"\nclass = \"SmsProvider\"\n", out var diagnostics);

        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Line == 3 && d.Message.Contains("SmsProvider")));
    }

    [TestCase("\"120.0;7.5\"", 120.0, 7.5)]
    [TestCase("\"30\"", 30.0, 30.0)]
    [TestCase("5", 5.0, 5.0)]
    [TestCase("2.5", 2.5, 2.5)]
    public void Timeout_is_connect_and_optional_read_seconds(string toml, double connect, double read)
    {
        var config = Load($"[[email_provider]]\nname = \"o\"\nclass = \"PickupDirectoryEmailProvider\"\ntimeout = {toml}\n", out _);

        Assert.That(config!.EmailProviders[0].Timeout, Is.EqualTo(new ProviderTimeout(TimeSpan.FromSeconds(connect), TimeSpan.FromSeconds(read))));
    }

    [TestCase("\"soon\"")]
    [TestCase("\"1;2;3\"")]
    [TestCase("\"0\"")]
    public void Bad_timeout_is_an_error_naming_the_form(string toml)
    {
        Load($"[[email_provider]]\nname = \"o\"\nclass = \"PickupDirectoryEmailProvider\"\ntimeout = {toml}\n", out var diagnostics);

        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Line == 4 && d.Message.Contains("connect[;read]")));
    }

    [Test]
    public void Port_defaults_follow_the_seed()
    {
        var config = Load("""
            [[email_provider]]
            name = "plain"
            class = "SMTPEmailProvider"
            default = true
            config = { SMTP_SERVER = "m" }
            [[email_provider]]
            name = "starttls"
            class = "SMTPEmailProvider"
            config = { SMTP_SERVER = "m", START_TLS = "True" }
            [[email_provider]]
            name = "ssl"
            class = "SMTPEmailProvider"
            config = { SMTP_SERVER = "m", USE_SSL = "yes", SMTP_PORT = "2465" }
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailProviders.Select(p => p.Smtp!.Port), Is.EqualTo(new[] { 25, 587, 2465 }));
    }

    [Test]
    public void Pool_size_and_messages_per_session_have_defaults_and_bind_from_a_table_or_json()
    {
        var config = Load("""
            [[email_provider]]
            name = "defaults"
            class = "SMTPEmailProvider"
            default = true
            config = { SMTP_SERVER = "m" }
            [[email_provider]]
            name = "table"
            class = "SMTPEmailProvider"
            config = { SMTP_SERVER = "m", POOL_SIZE = 8, MAX_MESSAGES_PER_SESSION = 100 }
            [[email_provider]]
            name = "json"
            class = "SMTPEmailProvider"
            config = '{ "SMTP_SERVER": "m", "POOL_SIZE": "1", "MAX_MESSAGES_PER_SESSION": 1 }'
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(diagnostics.Items, Is.Empty);
        Assert.That(config!.EmailProviders.Select(p => p.Smtp!.PoolSize), Is.EqualTo(new[] { 4, 8, 1 }));
        Assert.That(config.EmailProviders.Select(p => p.Smtp!.MaxMessagesPerSession), Is.EqualTo(new[] { 20, 100, 1 }));
    }

    [TestCase("POOL_SIZE = 0", "POOL_SIZE", "out of range 1..64")]
    [TestCase("POOL_SIZE = 65", "POOL_SIZE", "out of range 1..64")]
    [TestCase("POOL_SIZE = \"many\"", "POOL_SIZE", "expected an integer")]
    [TestCase("POOL_SIZE = 2.5", "POOL_SIZE", "expected an integer")]
    [TestCase("MAX_MESSAGES_PER_SESSION = 0", "MAX_MESSAGES_PER_SESSION", "out of range 1..10000")]
    public void Bad_pool_setting_is_an_error_with_file_and_line(string setting, string key, string reason)
    {
        Load($$"""
            [[email_provider]]
            name = "corp"
            class = "SMTPEmailProvider"
            config = { SMTP_SERVER = "m", {{setting}} }
            """, out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.File, Is.EqualTo("test.toml"));
        Assert.That(error.Line, Is.EqualTo(4));
        Assert.That(error.Message, Does.Contain(key).And.Contain(reason));
    }

    [Test]
    public void Bad_boolean_is_an_error_naming_the_key()
    {
        Load("[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = '{ \"SMTP_SERVER\": \"m\", \"USE_SSL\": \"maybe\" }'\n", out var diagnostics);

        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Line == 4 && d.Message.Contains("USE_SSL") && d.Message.Contains("maybe")));
    }

    [Test]
    public void User_without_password_and_missing_server_are_errors()
    {
        Load("[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = { SMTP_USER = \"u\", USE_SSL = true }\n", out var diagnostics);

        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.Message), Has.Some.Contains("SMTP_SERVER is required").And.Some.Contains("SMTP_USER and SMTP_PASSWORD go together"));
    }

    [Test]
    public void Credentials_without_tls_are_an_error_unless_the_server_is_loopback()
    {
        Load("[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = { SMTP_SERVER = \"mail.example.com\", SMTP_USER = \"u\", SMTP_PASSWORD = \"p\" }\n", out var remote);
        Load("[[email_provider]]\nname = \"c\"\nclass = \"SMTPEmailProvider\"\nconfig = { SMTP_SERVER = \"127.0.0.1\", SMTP_USER = \"u\", SMTP_PASSWORD = \"p\" }\n", out var local);

        Assert.That(remote.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Message.Contains("without TLS")));
        Assert.That(local.HasErrors, Is.False);
        Assert.That(local.Items, Has.One.Matches<ConfigDiagnostic>(d => !d.IsError && d.Message.Contains("without TLS")));
    }

    [Test]
    public void No_default_marked_makes_the_first_default_with_a_warning()
    {
        var config = Load("[[email_provider]]\nname = \"a\"\nclass = \"PickupDirectoryEmailProvider\"\n[[email_provider]]\nname = \"b\"\nclass = \"PickupDirectoryEmailProvider\"\n", out var diagnostics);

        Assert.That(config!.EmailProviders.Single(p => p.IsDefault).Name, Is.EqualTo("a"));
        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => !d.IsError && d.Line == 2 && d.Message.Contains("default")));
    }

    [Test]
    public void Two_defaults_are_an_error()
    {
        Load("[[email_provider]]\nname = \"a\"\nclass = \"PickupDirectoryEmailProvider\"\ndefault = true\n[[email_provider]]\nname = \"b\"\nclass = \"PickupDirectoryEmailProvider\"\ndefault = true\n", out var diagnostics);

        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Line == 6 && d.Message.Contains("exactly one")));
    }

    [Test]
    public void Legacy_section_becomes_imported_default_and_the_default()
    {
        var config = Load("""
            [[email_provider]]
            name = "outbox"
            class = "PickupDirectoryEmailProvider"

            [email_provider_legacy]
            EmailProvider = "linotp.lib.emailprovider.SMTPEmailProvider"
            EmailProviderConfig = '{ "SMTP_SERVER": "legacy.example.com", "START_TLS": "TRUE" }'
            EmailProviderTimeout = "10;5"
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        var imported = config!.EmailProviders.Single(p => p.IsDefault);
        Assert.That(imported.Name, Is.EqualTo("imported_default"));
        Assert.That(imported.Smtp!.Server, Is.EqualTo("legacy.example.com"));
        Assert.That(imported.Smtp.Port, Is.EqualTo(587));
        Assert.That(imported.Timeout.Read, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(diagnostics.Items, Has.None.Matches<ConfigDiagnostic>(d => d.Message.Contains("default = true")));
    }

    [Test]
    public void Legacy_section_is_not_the_default_when_another_is_marked()
    {
        var config = Load("[[email_provider]]\nname = \"outbox\"\nclass = \"PickupDirectoryEmailProvider\"\ndefault = true\n[email_provider_legacy]\nEmailProviderConfig = { SMTP_SERVER = \"m\" }\n", out _);

        Assert.That(config!.EmailProviders.Single(p => p.IsDefault).Name, Is.EqualTo("outbox"));
        Assert.That(config.EmailProviders.Select(p => p.Name), Does.Contain("imported_default"));
    }

    [Test]
    public void No_provider_at_all_falls_back_to_the_built_in_outbox()
    {
        var config = Load(string.Empty, out var diagnostics);

        Assert.That(config!.EmailProviders.Single().Kind, Is.EqualTo(EmailProviderKind.PickupDirectory));
        Assert.That(config.EmailProviders.Single().PickupDirectory, Is.EqualTo(Path.GetFullPath(Path.Combine("data", "outbox"))), "beside the (test) config file");
        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => !d.IsError));
    }

    [Test]
    public void Policies_bind_and_unknown_provider_is_an_error()
    {
        var config = Load("""
            [[email_provider]]
            name = "outbox"
            class = "PickupDirectoryEmailProvider"
            default = true

            [[policy]]
            name = "p"
            scope = "authentication"
            action = "email_provider=outbox, emailsubject='Hi, ${user}'"
            user = "*, !bob"
            client = ["10.0.0.0/8", "!10.9.0.0/16"]
            priority = 3
            """, out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        var policy = config!.Policies.Single();
        Assert.That(policy.Actions.EmailSubject, Is.EqualTo("Hi, ${user}"));
        Assert.That(policy.Clients, Has.Count.EqualTo(2));
        Assert.That(policy.Priority, Is.EqualTo(3));

        Load("[[policy]]\nname = \"p\"\naction = \"email_provider=nowhere\"\n", out var bad);
        Assert.That(bad.Items, Has.One.Matches<ConfigDiagnostic>(d => d.IsError && d.Line == 3 && d.Message.Contains("nowhere")));
    }

    [Test]
    public void Policy_problems_are_reported_with_lines()
    {
        Load("""
            [[policy]]
            name = "a"
            scope = "admin"
            action = "emailtext='${secret}'"
            client = "10.0.0.1/8"

            [[policy]]
            name = "a"
            action = "emailsubject=x"
            """, out var diagnostics);

        var errors = diagnostics.Items.Where(d => d.IsError).ToList();
        Assert.That(errors, Has.One.Matches<ConfigDiagnostic>(d => d.Line == 3 && d.Message.Contains("authentication")));
        Assert.That(errors, Has.One.Matches<ConfigDiagnostic>(d => d.Line == 4 && d.Message.Contains("${secret}")));
        Assert.That(errors, Has.One.Matches<ConfigDiagnostic>(d => d.Line == 5 && d.Message.Contains("host bits")));
        Assert.That(errors, Has.One.Matches<ConfigDiagnostic>(d => d.Message.Contains("already defined")));
    }

    [Test]
    public void Contradicting_policies_are_a_warning()
    {
        Load("""
            [[email_provider]]
            name = "outbox"
            class = "PickupDirectoryEmailProvider"
            [[policy]]
            name = "a"
            action = "emailsubject=A"
            [[policy]]
            name = "b"
            action = "emailsubject=B"
            """, out var diagnostics);

        Assert.That(diagnostics.HasErrors, Is.False);
        Assert.That(diagnostics.Items, Has.One.Matches<ConfigDiagnostic>(d => !d.IsError && d.Message.Contains("\"a\" wins")));
    }

    [Test]
    public void A_policy_challenge_prompt_with_an_unknown_placeholder_is_an_error_with_its_line()
    {
        Load("""
            [[policy]]
            name = "a"
            action = "email_challenge_prompt='Code sent to ${email_masked} for ${usr}'"
            """, out var diagnostics);

        var error = diagnostics.Items.Single(d => d.IsError);
        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("email_challenge_prompt").And.Contain("${usr}").And.Not.Contain("${email_masked};"));
    }

    [Test]
    public void Template_problems_are_check_config_errors()
    {
        var root = Directory.CreateTempSubdirectory("tpl").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "bad.eml"), "Subject: ${Subject}\n\nHello ${nmae}\n");
            File.WriteAllText(Path.Combine(root, "..", Path.GetFileName(root) + "-outside.eml"), "Subject: x\n\nx\n");
            Load($"""
                [email]
                template_root = '{root}'
                [[email_provider]]
                name = "a"
                class = "PickupDirectoryEmailProvider"
                default = true
                config = {"{"} TEMPLATE = "file://bad.eml" {"}"}
                [[email_provider]]
                name = "b"
                class = "PickupDirectoryEmailProvider"
                config = {"{"} TEMPLATE = "file://../{Path.GetFileName(root)}-outside.eml" {"}"}
                [[email_provider]]
                name = "c"
                class = "PickupDirectoryEmailProvider"
                config = {"{"} TEMPLATE = "file://missing.eml" {"}"}
                """, out var diagnostics);

            var errors = diagnostics.Items.Where(d => d.IsError).Select(d => d.Message).ToList();
            Assert.That(errors, Has.One.Contains("${nmae}"));
            Assert.That(errors, Has.One.Contains("\"b\"").And.One.Contains(".."));
            Assert.That(errors, Has.One.Contains("missing.eml").And.One.Contains("does not exist"));
        }
        finally
        {
            Directory.Delete(root, true);
            File.Delete(root + "-outside.eml");
        }
    }

    [Test]
    public void Shipped_config_and_templates_are_valid()
    {
        var repo = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(repo, "RadiusEmailOtp.sln")))
        {
            repo = Path.GetDirectoryName(repo)!;
        }

        // Bound under its real path: its relative paths (../dictionaries, mailtemplates) follow the file, not the working directory.
        var path = Path.Combine(repo, "config", "config.toml");
        var text = File.ReadAllText(path) + "\n[[email_provider]]\nname = \"html\"\nclass = \"PickupDirectoryEmailProvider\"\nconfig = { TEMPLATE = \"file://otp-html.eml\" }\n"
            + "[[email_provider]]\nname = \"plain\"\nclass = \"PickupDirectoryEmailProvider\"\nconfig = { TEMPLATE = \"file://otp-plain.eml\" }\n";
        var config = AppConfigLoader.Bind(path, text, new ConfigDiagnostics(path));

        Assert.That(config, Is.Not.Null);
        Assert.That(config!.EmailProviders.Single(p => p.IsDefault).Name, Is.EqualTo("outbox"));
        Assert.That(config.Email.TemplateRoot, Is.EqualTo(Path.Combine(repo, "config", "mailtemplates")));
        Assert.That(config.Server.Dictionary, Is.EqualTo(Path.Combine(repo, "dictionaries", "dictionary")));
        Assert.That(config.Server.DataDir, Is.EqualTo(Path.Combine(repo, "data")));
    }

    private static AppConfig? Load(string text, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("test.toml");
        return AppConfigLoader.Bind("test.toml", text, diagnostics);
    }
}
