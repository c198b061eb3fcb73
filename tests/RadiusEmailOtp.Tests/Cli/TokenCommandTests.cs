using System.Text.Json;
using NUnit.Framework;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>The token and challenge commands, run in-process against a temp data directory.</summary>
[NonParallelizable]
public sealed class TokenCommandTests : InProcessCliTest
{
    [Test]
    public async Task Enroll_prints_only_the_new_serial_and_list_shows_the_token_without_secrets()
    {
        var (code, serial, _) = await RunAsync("token", "enroll", "--user", "alice", "--email", "alice@example.com", "--pin", "4711pin", "--description", "laptop");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(serial.Trim(), Does.Match("^LSEM[0-9A-F]{8}$"));
        var (listCode, list, _) = await RunAsync("token", "list");
        Assert.That(listCode, Is.EqualTo(0));
        Assert.That(list, Does.Contain(serial.Trim()).And.Contain("alice@example.com").And.Contain("example.com").And.Contain("0/7").And.Contain("laptop"));
        Assert.That(list, Does.Not.Contain("4711pin"));
    }

    [Test]
    public async Task List_json_filters_by_user_and_realm()
    {
        await EnrollAsync("alice");
        await EnrollAsync("bob");
        await EnrollAsync("carol", "--realm", "Other.org");

        var (_, json, _) = await RunAsync("token", "list", "--user", "bob", "--json");
        var (_, other, _) = await RunAsync("token", "list", "--json", "--realm", "OTHER.org");

        using var parsed = JsonDocument.Parse(json);
        Assert.That(parsed.RootElement.GetArrayLength(), Is.EqualTo(1));
        Assert.That(parsed.RootElement[0].GetProperty("user").GetString(), Is.EqualTo("bob"));
        Assert.That(parsed.RootElement[0].GetProperty("hash").GetString(), Is.EqualTo("sha1"));
        using var parsedOther = JsonDocument.Parse(other);
        Assert.That(parsedOther.RootElement[0].GetProperty("realm").GetString(), Is.EqualTo("other.org"));
    }

    [Test]
    public async Task Enroll_takes_otp_length_and_hash()
    {
        var serial = await EnrollAsync("alice", "--otp-length", "8", "--hash", "SHA256");

        var (_, show, _) = await RunAsync("token", "show", serial);

        Assert.That(show, Does.Contain("hash:        sha256").And.Contain("otp_length:  8"));
    }

    [TestCase("--email", "not-an-address", "e-mail")]
    [TestCase("--email", "Alice <alice@example.com>", "e-mail")]
    [TestCase("--pin", "12", "--pin")]
    [TestCase("--pin", "12 34", "--pin")]
    [TestCase("--otp-length", "7", "--otp-length")]
    [TestCase("--hash", "md5", "--hash")]
    public async Task Enroll_rejects_bad_input_with_one_line_and_leaves_the_database_unchanged(string option, string value, string expected)
    {
        var args = new Dictionary<string, string> { ["--user"] = "alice", ["--email"] = "alice@example.com", ["--pin"] = "1234" };
        args[option] = value;

        var (code, stdout, stderr) = await RunAsync(["token", "enroll", .. args.SelectMany(p => new[] { p.Key, p.Value })]);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain(expected));
        if (option == "--pin")
        {
            Assert.That(stderr, Does.Not.Contain(value));
        }

        // Nothing was enrolled, so nothing was created: the next read-only command finds no database.
        Assert.That((await RunAsync("token", "list", "--json")).Error, Does.Contain("no token database"));
        Assert.That(Directory.Exists(DataDir), Is.False);
    }

    [TestCase("alice@Other.ORG")]
    [TestCase("alice@other.org", "--realm", "OTHER.org")]
    public async Task Enroll_splits_a_user_with_a_realm_at_the_separator(string user, params string[] extra)
    {
        await RunEnrollAsync(user, extra);

        var (_, json, _) = await RunAsync("token", "list", "--json");

        using var parsed = JsonDocument.Parse(json);
        Assert.That(parsed.RootElement[0].GetProperty("user").GetString(), Is.EqualTo("alice"));
        Assert.That(parsed.RootElement[0].GetProperty("realm").GetString(), Is.EqualTo("other.org"));
    }

    [Test]
    public async Task Enroll_with_a_user_realm_and_a_different_realm_option_fails_and_leaves_the_database_unchanged()
    {
        var (code, stdout, stderr) = await RunAsync(
            "token", "enroll", "--user", "alice@other.org", "--realm", "example.com", "--email", "alice@example.com", "--pin", "1234");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("other.org").And.Contain("--realm"));
        Assert.That(Directory.Exists(DataDir), Is.False, "a refused enroll creates no database");
    }

    [Test]
    public async Task Enroll_without_a_required_option_fails()
    {
        var (code, _, stderr) = await RunAsync("token", "enroll", "--user", "alice", "--pin", "1234");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("--email is required"));
    }

    [Test]
    public async Task Disable_enable_reset_and_delete_change_the_token()
    {
        var serial = await EnrollAsync("alice");

        Assert.That((await RunAsync("token", "disable", serial)).Code, Is.EqualTo(0));
        Assert.That((await RunAsync("token", "show", serial)).Out, Does.Contain("active:      no"));
        Assert.That((await RunAsync("token", "enable", serial.ToLowerInvariant())).Code, Is.EqualTo(0));
        Assert.That((await RunAsync("token", "show", serial)).Out, Does.Contain("active:      yes"));
        Assert.That((await RunAsync("token", "reset", serial)).Out, Does.Contain("failcount reset"));
        Assert.That((await RunAsync("token", "delete", serial)).Code, Is.EqualTo(0));
        var (code, _, stderr) = await RunAsync("token", "show", serial);
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain($"no token with serial {serial}"));
    }

    [Test]
    public async Task Set_pin_and_set_email_update_the_token()
    {
        var serial = await EnrollAsync("alice");

        var (pinCode, pinOut, _) = await RunAsync("token", "set-pin", serial, "--pin", "9876");
        var (emailCode, _, _) = await RunAsync("token", "set-email", serial, "--email", "alice@new.example.org");

        Assert.That(pinCode, Is.EqualTo(0));
        Assert.That(pinOut, Does.Not.Contain("9876"));
        Assert.That(emailCode, Is.EqualTo(0));
        Assert.That((await RunAsync("token", "show", serial)).Out, Does.Contain("alice@new.example.org"));
        Assert.That((await RunAsync("token", "set-email", serial, "--email", "bad")).Code, Is.Not.EqualTo(0));
        Assert.That((await RunAsync("token", "show", serial)).Out, Does.Contain("alice@new.example.org"));
    }

    [Test]
    public async Task An_unknown_serial_subcommand_or_option_is_a_one_line_error()
    {
        foreach (var args in new[]
        {
            new[] { "token", "disable", "LSEM00000000" },
            ["token", "frobnicate"],
            ["token", "list", "--colour"],
            ["token"],
            ["challenge", "list", "extra"],
        })
        {
            var (code, _, stderr) = await RunAsync(args);
            Assert.That(code, Is.Not.EqualTo(0), string.Join(" ", args));
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), string.Join(" ", args));
        }
    }

    [Test]
    public async Task Challenge_list_prints_an_empty_list_as_json()
    {
        await EnrollAsync("alice");

        var (code, json, _) = await RunAsync("challenge", "list", "--user", "alice", "--json");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(json.Trim(), Is.EqualTo("[]"));
        Assert.That((await RunAsync("challenge", "list")).Out, Does.Contain("MESSAGE-ID"));
    }

    [Test]
    public async Task A_broken_config_is_a_one_line_error()
    {
        File.AppendAllText(ConfigPath, "\nbogus_key = 1\n");

        var (code, _, stderr) = await RunAsync("token", "list");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("bogus_key"));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("token", "show", "NOPE")]
    [TestCase("token", "list")]
    [TestCase("token", "disable", "LSEM00000000")]
    [TestCase("challenge", "list")]
    public async Task A_command_against_a_missing_database_fails_and_creates_nothing(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("no token database at").And.Contain("check data_dir"));
        Assert.That(Directory.Exists(DataDir), Is.False, "no data directory, database or key was created");

        Directory.CreateDirectory(DataDir);
        (code, _, _) = await RunAsync(args);
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(Directory.GetFileSystemEntries(DataDir), Is.Empty);
    }

    [Test]
    public async Task Enroll_creates_the_database_and_key_that_other_commands_then_open()
    {
        var serial = await EnrollAsync("alice");

        Assert.That(Directory.GetFiles(DataDir).Select(Path.GetFileName), Does.Contain("encryption.key"));
        Assert.That((await RunAsync("token", "show", serial)).Code, Is.EqualTo(0));
    }

    [Test]
    public async Task A_pin_given_as_dash_is_read_from_standard_input()
    {
        var original = Console.In;
        Console.SetIn(new StringReader("98765\n"));
        try
        {
            var (code, serial, stderr) = await RunAsync("token", "enroll", "--user", "carol", "--email", "carol@example.com", "--pin", "-");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(serial.Trim(), Does.StartWith("LSEM"));
        }
        finally
        {
            Console.SetIn(original);
        }

        Console.SetIn(new StringReader(string.Empty));
        try
        {
            var (code, _, stderr) = await RunAsync("token", "enroll", "--user", "dave", "--email", "dave@example.com", "--pin", "-");
            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(stderr, Does.Contain("no PIN on standard input"));
        }
        finally
        {
            Console.SetIn(original);
        }
    }

    private async Task RunEnrollAsync(string user, string[] extra)
    {
        var (code, _, stderr) = await RunAsync(["token", "enroll", "--user", user, "--email", "alice@example.com", "--pin", "1234", .. extra]);
        Assert.That(code, Is.EqualTo(0), stderr);
    }
}
