using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// Reloading the configuration in a running server (what SIGHUP triggers): clients and secrets are swapped for new
/// requests, a broken file changes nothing, [server] keys bound to the process are reported as needing a restart.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ReloadTests
{
    private const string NewSecret = "n3w-secret-for-the-nas";

    [Test]
    public async Task A_changed_secret_takes_effect_the_old_one_stops_working()
    {
        await using var server = await TestServer.StartAsync();
        using var oldNas = new NasClient(server, "testing123");
        Assert.That((await oldNas.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject));

        server.RewriteConfig(Client("localhost", "127.0.0.1", NewSecret));
        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);

        using var newNas = new NasClient(server, NewSecret);
        Assert.That((await newNas.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject), "signed with the new secret");
        Assert.ThrowsAsync<TimeoutException>(() => oldNas.LoginAsync("nobody", "1234", timeoutSeconds: 1), "the old secret is dropped now");
        Assert.That(server.Log.Text, Does.Contain($"Reloaded {server.ConfigPath}: clients changed localhost"));
        Assert.That(server.Log.Text, Does.Not.Contain(NewSecret).And.Not.Contain("testing123"));
    }

    [Test]
    public async Task An_added_client_is_answered_after_the_reload()
    {
        await using var server = await TestServer.StartAsync();
        using var nas2 = new NasClient(server, "second-secret", bindAddress: "127.0.0.2");
        Assert.ThrowsAsync<TimeoutException>(() => nas2.LoginAsync("nobody", "1234", timeoutSeconds: 1), "unknown before the reload");

        server.RewriteConfig(TestServer.DefaultClients + "\n\n" + Client("nas2", "127.0.0.2", "second-secret"));
        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);

        Assert.That((await nas2.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject));
        using var first = new NasClient(server, "testing123");
        Assert.That((await first.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject), "the unchanged client still works");
        Assert.That(server.Log.Text, Does.Contain("clients added nas2 (2 clients"));
        Assert.That(server.Host.Config.Clients.Select(c => c.Name), Is.EquivalentTo(new[] { "localhost", "nas2" }));
    }

    [Test]
    public async Task A_broken_config_is_refused_with_its_lines_and_the_server_goes_on_as_before()
    {
        await using var server = await TestServer.StartAsync();

        // Line 4 is the server key below; line 9 the client's unknown key.
        server.RewriteConfig(Client("localhost", "127.0.0.1", NewSecret) + "\ncolour = \"blue\"", serverKeys: "reject_delay = \"soon\"");
        var lines = File.ReadAllLines(server.ConfigPath);
        var rejectLine = Array.FindIndex(lines, l => l.StartsWith("reject_delay", StringComparison.Ordinal)) + 1;
        var colourLine = Array.FindIndex(lines, l => l.StartsWith("colour", StringComparison.Ordinal)) + 1;
        Assert.That(await server.Host.ReloadAsync(), Is.False);

        Assert.That(server.Log.Text, Does.Contain($"{server.ConfigPath}:{rejectLine}: error:"));
        Assert.That(server.Log.Text, Does.Contain($"{server.ConfigPath}:{colourLine}: error:"));
        Assert.That(server.Log.Text, Does.Contain("Reload failed: 2 errors").And.Contain("still running on the previous configuration"));
        using var nas = new NasClient(server, "testing123");
        Assert.That((await nas.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject), "the old secret still works");
    }

    [Test]
    public async Task Server_keys_bound_to_the_process_are_reported_as_needing_a_restart_and_the_rest_applies()
    {
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients);
        var endPoint = server.EndPoint;

        server.RewriteConfig(
            Client("localhost", "127.0.0.1", NewSecret) + $$"""


                [[email_provider]]
                name = "second"
                class = "PickupDirectoryEmailProvider"
                config = { DIRECTORY = "{{server.Directory.Combine("outbox2")}}" }

                [email_token]
                challenge_prompt = "Code: "
                """,
            serverKeys: "reject_delay = 0\nlisten = [\"127.0.0.1:1\"]");
        var lines = File.ReadAllLines(server.ConfigPath);
        var listenLine = Array.FindIndex(lines, l => l.StartsWith("listen", StringComparison.Ordinal)) + 1;
        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);

        Assert.That(server.Log.Text, Does.Contain($"Reload: {server.ConfigPath}:{listenLine}: listen changed; it needs a restart"));
        Assert.That(server.Log.Text, Does.Contain("clients changed localhost; providers added second; email_token changed"));
        Assert.That(server.Host.LocalEndPoints, Is.EqualTo(new[] { endPoint }), "still on the sockets it started with");
        using var nas = new NasClient(server, NewSecret);
        Assert.That((await nas.LoginAsync("nobody", "1234")).Code, Is.EqualTo(RadiusCode.AccessReject), "the rest of the file was applied");
    }

    [Test]
    public async Task A_reload_without_changes_says_so()
    {
        await using var server = await TestServer.StartAsync();
        var reloading = 0;
        server.Host.ReloadStarting += () => reloading++;

        Assert.That(await server.Host.ReloadAsync(), Is.True);

        Assert.That(reloading, Is.EqualTo(1), "the hook for log reopening runs on every reload");
        Assert.That(server.Log.Text, Does.Contain("nothing changed (1 clients"));
    }

    [Test]
    public async Task A_changed_provider_mails_new_requests_and_the_old_one_closes_its_smtp_connection()
    {
        await using var smtp = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + Smtp(smtp.Port, "Your OTP"));
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "1234");
        using var nas = new NasClient(server, "testing123");
        Assert.That((await nas.LoginAsync("alice", "1234")).Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That((await smtp.NextMailAsync(TimeSpan.FromSeconds(10))).Subject, Is.EqualTo("Your OTP"));
        Assert.That(smtp.CompletedSessions, Is.Zero, "the provider keeps its pooled connection open");

        server.RewriteConfig(TestServer.DefaultClients + Smtp(smtp.Port, "Your new OTP") + "\n[email_token]\nblocking_timeout = 0\n");
        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);

        // No request uses the old providers any more: they are closed at once, and their SMTP session with them.
        for (var i = 0; i < 500 && smtp.CompletedSessions == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.That(smtp.CompletedSessions, Is.EqualTo(1), "the replaced provider's pooled connection was closed");
        Assert.That(server.Log.Text, Does.Contain("providers changed corp"));
        Assert.That((await nas.LoginAsync("alice", "1234")).Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That((await smtp.NextMailAsync(TimeSpan.FromSeconds(10))).Subject, Is.EqualTo("Your new OTP"), "the new provider settings mail the new request");
    }

    [Test]
    public async Task A_changed_data_dir_needs_a_restart_and_the_mails_stay_in_the_running_outbox()
    {
        await using var server = await TestServer.StartAsync();
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "1234");
        var dataDir = server.Config.Server.DataDir;
        File.WriteAllText(server.ConfigPath, File.ReadAllText(server.ConfigPath).Replace(dataDir, server.Directory.Combine("elsewhere"), StringComparison.Ordinal));

        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);
        using var nas = new NasClient(server, "testing123");
        Assert.That((await nas.LoginAsync("alice", "1234")).Code, Is.EqualTo(RadiusCode.AccessChallenge), "still on the running data_dir's tokens");

        Assert.That(server.Log.Text, Does.Contain("data_dir changed; it needs a restart"));
        Assert.That(await server.Outbox.WaitForOtpAsync(1), Has.Length.EqualTo(6), "the mail went to the running data_dir's outbox");
        Assert.That(Directory.Exists(server.Directory.Combine("elsewhere")), Is.False, "nothing was created in the new data_dir");
    }

    private static string Smtp(int port, string subject) => $$"""


        [[email_provider]]
        name = "corp"
        class = "SMTPEmailProvider"
        timeout = "2;2"
        config = { SMTP_SERVER = "127.0.0.1", PORT = {{port}}, EMAIL_FROM = "otp@corp.example", EMAIL_SUBJECT = "{{subject}}" }
        """;

    private static string Client(string name, string address, string secret) => $"""
        [[client]]
        name = "{name}"
        ipaddr = "{address}"
        secret = "{secret}"
        """;
}
