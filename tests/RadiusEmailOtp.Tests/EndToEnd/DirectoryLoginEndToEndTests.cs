using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Ldap;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// Issue 9 end to end: the real server, a throw-away slapd and radclient. Directory users log in with their directory
/// password (otppin = password), are mailed at the directory's current address, and with autoenroll need no enrolment.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DirectoryLoginEndToEndTests
{
    private const string Secret = "testing123";
    private const string AliceDn = "uid=alice," + SlapdServer.BaseDn;

    private SlapdServer _slapd = null!;

    [OneTimeSetUp]
    public async Task StartSlapdAsync()
    {
        Radclient.RequireInstalled();
        _slapd = await SlapdServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSlapdAsync()
    {
        if (_slapd is not null)
        {
            await _slapd.DisposeAsync();
        }
    }

    [Test]
    public async Task A_directory_user_logs_in_with_password_then_the_mailed_code_without_any_enrolment()
    {
        await using var server = await StartAsync(autoenroll: true);

        var challenge = await AuthAsync(server, "alice", "alice-password");
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge.ToString());
        await server.Outbox.WaitForMailAsync(1);
        var (to, otp) = server.Outbox.ReadAll().Single();
        Assert.That(to, Is.EqualTo("alice@corp.example"), "the first of the directory's addresses");

        var accept = await AuthAsync(server, "alice", otp, challenge.Attribute("State"));

        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept.ToString());
        var tokens = await TokenCli.ListJsonAsync(server.ConfigPath);
        Assert.That(tokens.GetArrayLength(), Is.EqualTo(1));
        Assert.That(tokens[0].GetProperty("user").GetString(), Is.EqualTo("alice"));
        Assert.That(tokens[0].GetProperty("origin").GetString(), Is.EqualTo("autoenroll"));
        Assert.That(tokens[0].GetProperty("resolver").GetString(), Is.EqualTo("corp"));
        Assert.That(server.Log.Text, Does.Contain("auto-enrolled for alice@example.com (resolver corp)"));
    }

    [Test]
    public async Task Twenty_concurrent_first_logins_enrol_one_token_and_every_one_is_challenged()
    {
        await using var server = await StartAsync(autoenroll: true);
        // One NAS socket per login: a NasClient matches one reply at a time.
        var nases = Enumerable.Range(0, 20).Select(_ => new NasClient(server, Secret)).ToList();
        RadiusPacket[] replies;
        try
        {
            replies = await Task.WhenAll(nases.Select(nas => nas.LoginAsync("carol", "carol-password")));
        }
        finally
        {
            nases.ForEach(n => n.Dispose());
        }

        Assert.That(replies.Select(r => r.Code), Has.All.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(replies.Select(r => Convert.ToHexString(NasClient.State(r).Span)).Distinct().Count(), Is.EqualTo(1), "one challenge, one State");
        Assert.That((await TokenCli.ListJsonAsync(server.ConfigPath)).GetArrayLength(), Is.EqualTo(1));
        await server.Outbox.WaitForMailAsync(1);
        await Task.Delay(300);
        Assert.That(server.Outbox.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Password_plus_code_binds_once_and_a_wrong_password_is_rejected()
    {
        await using var server = await StartAsync(autoenroll: true);
        Assert.That((await AuthAsync(server, "alice", "alice-password")).ReplyCode, Is.EqualTo("Access-Challenge"));
        var otp = await server.Outbox.WaitForOtpAsync(1);
        var binds = _slapd.BindCount(AliceDn);

        var wrong = await AuthAsync(server, "alice", "not-her-password" + otp);
        var accept = await AuthAsync(server, "alice", "alice-password" + otp);

        Assert.That(wrong.ReplyCode, Is.EqualTo("Access-Reject"), wrong.ToString());
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept.ToString());
        Assert.That(await WaitForBindsAsync(AliceDn, binds + 2), Is.EqualTo(binds + 2), "one bind per request");
    }

    [Test]
    public async Task A_resolver_policy_gives_directory_users_their_prompt_and_token_table_users_keep_the_default()
    {
        await using var server = await StartAsync(autoenroll: true, extraToml: """

            [[policy]]
            name = "directory-users"
            scope = "authentication"
            action = "email_challenge_prompt='Directory code for ${user}: '"
            user = "corp:"
            """);
        await TokenCli.EnrollAsync(server.ConfigPath, "erin", "erin@example.com", "2468");

        var directory = await AuthAsync(server, "alice", "alice-password");
        var local = await AuthAsync(server, "erin", "2468");

        Assert.That(directory.Attribute("Reply-Message"), Is.EqualTo("\"Directory code for alice: \""), directory.ToString());
        Assert.That(local.Attribute("Reply-Message"), Does.StartWith("\"Enter the code sent to"), local.ToString());
    }

    [Test]
    public async Task An_empty_password_is_rejected_without_a_bind()
    {
        await using var server = await StartAsync(autoenroll: true);
        using var nas = new NasClient(server, Secret);
        var binds = _slapd.BindCount(AliceDn);

        var reply = await nas.LoginAsync("alice", string.Empty);

        Assert.That(reply.Code, Is.EqualTo(RadiusCode.AccessReject));
        Assert.That(await WaitForBindsAsync(AliceDn, binds), Is.EqualTo(binds));
        Assert.That((await TokenCli.ListJsonAsync(server.ConfigPath)).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task An_enrolled_directory_token_mails_the_address_the_directory_holds_at_each_mail()
    {
        await using var server = await StartAsync(autoenroll: false, blockingTimeout: 0);
        var (exit, _, stderr) = await CliProcess.RunAsync(
            server.Directory.Path, "token", "enroll", "--config", server.ConfigPath, "--user", "carol");
        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stderr, Does.Contain("found in resolver \"corp\""));

        Assert.That((await AuthAsync(server, "carol", "carol-password")).ReplyCode, Is.EqualTo("Access-Challenge"));
        await server.Outbox.WaitForMailAsync(1);
        await _slapd.ModifyAsync($"""
            dn: uid=carol,{SlapdServer.BaseDn}
            changetype: modify
            replace: mail
            mail: carol.new@corp.example
            """);
        Assert.That((await AuthAsync(server, "carol", "carol-password")).ReplyCode, Is.EqualTo("Access-Challenge"));
        await server.Outbox.WaitForMailAsync(2);

        Assert.That(server.Outbox.ReadAll().Select(m => m.To), Is.EquivalentTo(new[] { "carol@corp.example", "carol.new@corp.example" }));
    }

    [Test]
    public async Task A_directory_user_without_an_address_is_not_enrolled_and_an_unknown_name_is_rejected()
    {
        await using var server = await StartAsync(autoenroll: true);

        var bob = await AuthAsync(server, "bob", "bob-password");
        var injected = await AuthAsync(server, "*)(uid=*", "alice-password");

        Assert.That(bob.ReplyCode, Is.EqualTo("Access-Reject"), bob.ToString());
        Assert.That(injected.ReplyCode, Is.EqualTo("Access-Reject"), injected.ToString());
        Assert.That(server.Outbox.Count, Is.Zero);
        Assert.That((await TokenCli.ListJsonAsync(server.ConfigPath)).GetArrayLength(), Is.Zero);
        Assert.That(server.Log.Text, Does.Contain("resolver corp holds no e-mail address"));
    }

    private async Task<TestServer> StartAsync(bool autoenroll, int blockingTimeout = 120, string extraToml = "") =>
        await TestServer.StartAsync(TestServer.DefaultClients + $$"""


            [email_token]
            otppin = "password"
            autoenroll = {{(autoenroll ? "true" : "false")}}
            blocking_timeout = {{blockingTimeout}}

            """ + _slapd.CorpResolverToml() + extraToml);

    // slapd writes its stats log a moment after it answers.
    private async Task<int> WaitForBindsAsync(string dn, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_slapd.BindCount(dn) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        return _slapd.BindCount(dn);
    }

    private static Task<RadclientResult> AuthAsync(TestServer server, string user, string password, string? state = null) =>
        Radclient.RunAsync(
            server.EndPoint,
            "auth",
            Secret,
            $"User-Name = \"{user}\"\nUser-Password = \"{password}\"\n{(state is null ? string.Empty : $"State = {state}\n")}Message-Authenticator = 0x00\n",
            timeoutSeconds: 8);
}
