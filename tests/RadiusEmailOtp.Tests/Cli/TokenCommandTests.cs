using System.Text.Json;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Cli;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>The token and challenge commands, run in-process against a temp data directory.</summary>
[NonParallelizable]
public sealed class TokenCommandTests
{
    private string _dir = string.Empty;
    private string _config = string.Empty;
    private TextWriter _out = null!;
    private TextWriter _error = null!;
    private StringWriter _stdout = null!;
    private StringWriter _stderr = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "reo-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _config = Path.Combine(_dir, "config.toml");
        File.WriteAllText(_config, $"""
            [server]
            data_dir = "{Path.Combine(_dir, "data").Replace("\\", "/", StringComparison.Ordinal)}"

            [realm]
            default = "Example.COM"

            [email_token]
            max_fail = 7
            """);
        _out = Console.Out;
        _error = Console.Error;
    }

    [TearDown]
    public void TearDown()
    {
        Console.SetOut(_out);
        Console.SetError(_error);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

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
        Assert.That(Directory.Exists(Path.Combine(_dir, "data")), Is.False);
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
        Assert.That(Directory.Exists(Path.Combine(_dir, "data")), Is.False, "a refused enroll creates no database");
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
        File.AppendAllText(_config, "\nbogus_key = 1\n");

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
        var data = Path.Combine(_dir, "data");

        var (code, _, stderr) = await RunAsync(args);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("no token database at").And.Contain("check data_dir"));
        Assert.That(Directory.Exists(data), Is.False, "no data directory, database or key was created");

        Directory.CreateDirectory(data);
        (code, _, _) = await RunAsync(args);
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(Directory.GetFileSystemEntries(data), Is.Empty);
    }

    [Test]
    public async Task Enroll_creates_the_database_and_key_that_other_commands_then_open()
    {
        var serial = await EnrollAsync("alice");

        Assert.That(Directory.GetFiles(Path.Combine(_dir, "data")).Select(Path.GetFileName), Does.Contain("encryption.key"));
        Assert.That((await RunAsync("token", "show", serial)).Code, Is.EqualTo(0));
    }

    private async Task<string> EnrollAsync(string user, params string[] extra)
    {
        var (code, stdout, stderr) = await RunAsync(["token", "enroll", "--user", user, "--email", $"{user}@example.com", "--pin", "1234", .. extra]);
        Assert.That(code, Is.EqualTo(0), stderr);
        return stdout.Trim();
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

    private Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    private async Task<(int Code, string Out, string Error)> RunAsync(IEnumerable<string> args)
    {
        _stdout = new StringWriter();
        _stderr = new StringWriter();
        Console.SetOut(_stdout);
        Console.SetError(_stderr);
        try
        {
            var code = await CommandLine.RunAsync([.. args, "--config", _config]);
            return (code, _stdout.ToString(), _stderr.ToString());
        }
        finally
        {
            Console.SetOut(_out);
            Console.SetError(_error);
        }
    }
}
