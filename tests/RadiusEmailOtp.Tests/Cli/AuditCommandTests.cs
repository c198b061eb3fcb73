using System.Text.Json;
using NUnit.Framework;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>audit list</c> and the records the admin commands leave, run in-process.</summary>
[NonParallelizable]
public sealed class AuditCommandTests : InProcessCliTest
{
    private const string Pin = "s3cret-Pin";

    private string? _sudoUser;

    [SetUp]
    public void ClearSudoUser()
    {
        _sudoUser = Environment.GetEnvironmentVariable("SUDO_USER");
        Environment.SetEnvironmentVariable("SUDO_USER", null);
    }

    [TearDown]
    public void RestoreSudoUser() => Environment.SetEnvironmentVariable("SUDO_USER", _sudoUser);

    [Test]
    public async Task Every_changing_token_command_leaves_one_record_with_its_serial_and_never_the_pin()
    {
        var (_, enrolled, _) = await RunAsync("token", "enroll", "--user", "alice", "--email", "alice@example.com", "--pin", Pin);
        var serial = enrolled.Trim();
        foreach (var sub in new[] { "disable", "enable", "reset" })
        {
            Assert.That((await RunAsync("token", sub, serial)).Code, Is.EqualTo(0));
        }

        Assert.That((await RunAsync("token", "set-pin", serial, "--pin", Pin + "2")).Code, Is.EqualTo(0));
        Assert.That((await RunAsync("token", "set-email", serial, "--email", "a2@example.com")).Code, Is.EqualTo(0));
        Assert.That((await RunAsync("token", "delete", serial)).Code, Is.EqualTo(0));

        var (code, json, _) = await RunAsync("audit", "list", "--json");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(json, Does.Not.Contain(Pin));
        var records = Parse(json);
        Assert.That(records.Select(r => r.GetProperty("action").GetString()), Is.EqualTo(new[]
        {
            "token delete", "token set-email", "token set-pin", "token reset", "token enable", "token disable", "token enroll",
        }));
        Assert.That(records.Select(r => r.GetProperty("serial").GetString()), Is.All.EqualTo(serial));
        Assert.That(records.Select(r => r.GetProperty("user").GetString()), Is.All.EqualTo(Environment.UserName));
        Assert.That(records[0].GetProperty("detail").GetString(), Is.EqualTo("user=alice realm=example.com email=a2@example.com"));
        Assert.That(records[1].GetProperty("detail").GetString(), Is.EqualTo("email=a2@example.com"));
        var time = records[^1].GetProperty("time").GetDateTimeOffset();
        Assert.That(time, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async Task An_import_leaves_one_record_per_imported_token()
    {
        var file = Path.Combine(TempDir, "users.csv");
        File.WriteAllText(file, $"user,realm,email,pin\nbob,,bob@example.com,{Pin}\ncarol,,carol@example.com,{Pin}\n");

        Assert.That((await RunAsync("token", "import", file)).Code, Is.EqualTo(0));

        var records = Parse((await RunAsync("audit", "list", "--json")).Out);
        Assert.That(records.Select(r => r.GetProperty("action").GetString()), Is.EqualTo(new[] { "token import", "token import" }));
        Assert.That(records.Select(r => r.GetProperty("detail").GetString()), Is.EquivalentTo(new[]
        {
            "file=users.csv user=bob realm=example.com email=bob@example.com",
            "file=users.csv user=carol realm=example.com email=carol@example.com",
        }));
    }

    [Test]
    public async Task Reading_commands_and_changes_that_find_no_token_leave_no_record()
    {
        var serial = await EnrollAsync("alice");
        await RunAsync("token", "list");
        await RunAsync("token", "show", serial);
        Assert.That((await RunAsync("token", "disable", "LSEM00000000")).Code, Is.Not.EqualTo(0));
        Assert.That((await RunAsync("token", "delete", "LSEM00000000")).Code, Is.Not.EqualTo(0));

        var records = Parse((await RunAsync("audit", "list", "--json")).Out);

        Assert.That(records.Select(r => r.GetProperty("action").GetString()), Is.EqualTo(new[] { "token enroll" }));
    }

    [Test]
    public async Task Under_sudo_the_invoking_user_is_recorded_with_the_account_beside_it_and_user_filters()
    {
        await EnrollAsync("alice");
        Environment.SetEnvironmentVariable("SUDO_USER", "bob");
        var serial = await EnrollAsync("carol");

        var (_, json, _) = await RunAsync("audit", "list", "--json", "--user", "bob");
        var (_, text, _) = await RunAsync("audit", "list", "--limit", "1");

        var bob = Parse(json).Single();
        Assert.That(bob.GetProperty("user").GetString(), Is.EqualTo("bob"));
        Assert.That(bob.GetProperty("os_user").GetString(), Is.EqualTo(Environment.UserName));
        Assert.That(bob.GetProperty("serial").GetString(), Is.EqualTo(serial));
        var lines = text.TrimEnd().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2), text);
        Assert.That(lines[0], Does.StartWith("TIME").And.Contain("USER").And.Contain("ACTION").And.Contain("SERIAL"));
        Assert.That(lines[1], Does.Contain($"bob (as {Environment.UserName})").And.Contain("token enroll").And.Contain(serial));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("ten")]
    public async Task A_bad_limit_is_one_line_and_a_usage_exit(string limit)
    {
        await EnrollAsync("alice");

        var (code, stdout, stderr) = await RunAsync("audit", "list", "--limit", limit);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("--limit"));
    }

    private static JsonElement[] Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
