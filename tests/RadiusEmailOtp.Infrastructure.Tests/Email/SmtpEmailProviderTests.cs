using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

public sealed class SmtpEmailProviderTests
{
    private static TestCertificates s_certs = null!;

    [OneTimeSetUp]
    public static void MakeCertificates() => s_certs = TestCertificates.Create();

    [OneTimeTearDown]
    public static void DropCertificates() => s_certs.Dispose();

    [Test]
    public async Task Plain_smtp_without_auth_delivers_the_mail()
    {
        await using var server = new InProcessSmtpServer();
        await using var provider = Provider(server.Port);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("424242"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), result.Error);
        Assert.That(result.Reply, Is.Not.Empty);
        Assert.That(server.Messages.Single().TextBody, Does.Contain("424242"));
        Assert.That(server.AuthenticatedUsers, Is.Empty);
    }

    [Test]
    public async Task Starttls_with_ca_file_and_auth_delivers_the_mail()
    {
        await using var server = new InProcessSmtpServer(s_certs.Server, credentials: ("smtp-user", "s3cret"));
        await using var provider = Provider(server.Port, startTls: true, user: "smtp-user", password: "s3cret", caFile: s_certs.CaFile);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("111111"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), result.Error);
        Assert.That(server.AuthenticatedUsers, Is.EqualTo(new[] { "smtp-user" }));
        Assert.That(server.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Smtps_with_ca_file_delivers_the_mail()
    {
        await using var server = new InProcessSmtpServer(s_certs.Server, implicitTls: true);
        await using var provider = Provider(server.Port, useSsl: true, caFile: s_certs.CaFile);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("222222"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), result.Error);
        Assert.That(server.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Untrusted_certificate_is_rejected_by_default_and_accepted_with_tls_verify_false()
    {
        await using var server = new InProcessSmtpServer(s_certs.Server, implicitTls: true);
        await using var strict = Provider(server.Port, useSsl: true);
        await using var lax = Provider(server.Port, useSsl: true, tlsVerify: false);

        var rejected = await strict.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
        var accepted = await lax.SendAsync(PickupDirectoryEmailProviderTests.Message("2"), CancellationToken.None);

        Assert.That(rejected.Outcome, Is.EqualTo(ProviderSendOutcome.Permanent));
        Assert.That(rejected.Error, Does.Contain("TLS"));
        Assert.That(accepted.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), accepted.Error);
        Assert.That(server.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Starttls_required_but_not_offered_fails_clearly()
    {
        await using var server = new InProcessSmtpServer();
        await using var provider = Provider(server.Port, startTls: true);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Permanent));
        Assert.That(result.Error, Does.Contain("STARTTLS"));
    }

    [Test]
    public async Task Wrong_password_is_permanent_with_the_server_reply()
    {
        await using var server = new InProcessSmtpServer(s_certs.Server, credentials: ("smtp-user", "right"));
        await using var provider = Provider(server.Port, startTls: true, user: "smtp-user", password: "wrong", caFile: s_certs.CaFile);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Permanent));
        Assert.That(result.Error, Does.Contain("authentication"));
        Assert.That(result.Reply, Is.Not.Empty);
    }

    [Test]
    public async Task Refused_recipient_is_permanent_with_the_5xx_reply()
    {
        await using var server = new InProcessSmtpServer(refuse: "alice@example.com");
        await using var provider = Provider(server.Port);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Permanent));
        Assert.That(result.Reply, Does.StartWith("5"));
        Assert.That(server.Messages, Is.Empty);
    }

    [Test]
    public async Task Silent_server_times_out_as_transient()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.Silent);
        await using var provider = Provider(server.Port, timeout: new ProviderTimeout(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var watch = Stopwatch.StartNew();

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(result.Error, Does.Contain("timed out").Or.Contain("longer than"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Connection_dropped_mid_message_is_transient()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.DropAfterData);
        await using var provider = Provider(server.Port, timeout: new ProviderTimeout(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(server.Messages, Is.Zero);
    }

    [Test]
    public async Task Two_mails_share_one_connection()
    {
        await using var server = new InProcessSmtpServer();
        await using var provider = Provider(server.Port);

        var first = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
        var second = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("2"), CancellationToken.None);

        Assert.That(first.Accepted && second.Accepted, Is.True);
        Assert.That(server.Messages, Has.Count.EqualTo(2));
        Assert.That(provider.ConnectCount, Is.EqualTo(1));
        Assert.That(server.Sessions, Is.EqualTo(1));
    }

    [Test]
    public async Task Idle_connection_closed_by_the_server_is_reopened_once()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.CloseFirstConnectionWhenIdle);
        await using var provider = Provider(server.Port, timeout: new ProviderTimeout(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));

        var first = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
        await Task.Delay(200);
        var second = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("2"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), first.Error);
        Assert.That(second.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), second.Error);
        Assert.That(server.Connections, Is.EqualTo(2));
        Assert.That(server.Messages, Is.EqualTo(2));
    }

    [Test]
    public async Task A_reused_connection_dropped_after_the_data_was_sent_is_not_retried()
    {
        // A retry here would make the user receive the same OTP mail twice.
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.DropAfterQueueingSecondMessage);
        await using var provider = Provider(server.Port, timeout: new ProviderTimeout(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));

        var first = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
        var second = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("2"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), first.Error);
        Assert.That(second.Outcome, Is.EqualTo(ProviderSendOutcome.Unknown), "the server may have queued it: neither failed nor accepted");
        Assert.That(server.Messages, Is.EqualTo(2), "the second mail was queued once, not resent");
        Assert.That(server.Connections, Is.EqualTo(1));
    }

    [Test]
    public async Task A_reused_connection_whose_mail_from_is_deferred_is_replaced_and_the_mail_sent_once()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.DeferSecondMailFromOnFirstConnection);
        await using var provider = Provider(server.Port, timeout: new ProviderTimeout(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));

        var first = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
        var second = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("2"), CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), first.Error);
        Assert.That(second.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), second.Error);
        Assert.That(server.Connections, Is.EqualTo(2));
        Assert.That(server.Messages, Is.EqualTo(2));
    }

    [Test]
    public async Task Certificate_revocation_is_not_checked_online_unless_configured()
    {
        var settings = new SmtpProviderSettings("127.0.0.1", 25, true, false, null, null, null, null, null, true);
        var timeout = new ProviderTimeout(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        await using var plain = new SmtpEmailProvider("plain", settings, timeout, NullLogger.Instance);
        await using var withCa = new SmtpEmailProvider("ca", settings with { CaFile = s_certs.CaFile }, timeout, NullLogger.Instance);
        await using var opted = new SmtpEmailProvider("opted", settings with { CheckRevocation = true }, timeout, NullLogger.Instance);

        using var plainClient = plain.CreateClient();
        using var caClient = withCa.CreateClient();
        using var optedClient = opted.CreateClient();

        Assert.That(plainClient.CheckCertificateRevocation, Is.False, "offline networks would fail or hang on CRL/OCSP");
        Assert.That(caClient.CheckCertificateRevocation, Is.False);
        Assert.That(optedClient.CheckCertificateRevocation, Is.True);
    }

    [Test]
    public async Task Client_certificate_is_presented()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.Normal, s_certs.Server);
        await using var provider = Provider(server.Port, useSsl: true, caFile: s_certs.CaFile, certFile: s_certs.ClientCertFile, keyFile: s_certs.ClientKeyFile);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted), result.Error);
        Assert.That(server.ClientCertificate?.Subject, Is.EqualTo("CN=otp-client"));
    }

    [Test]
    public async Task Failover_from_a_dead_provider_to_a_live_one_is_quick()
    {
        await using var live = new InProcessSmtpServer();
        var dead = InProcessSmtpServer.FreePort();
        var timeout = new ProviderTimeout(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var providers = new[]
        {
            Settings("dead", dead, timeout) with { IsDefault = true },
            Settings("live", live.Port, timeout),
        };
        await using var services = EmailServices.Create(providers, [], new EmailSettings("."), NullLoggerFactory.Instance, TimeProvider.System);
        var watch = Stopwatch.StartNew();

        var result = await services.Sender.SendAsync(OtpMailComposerTests.Request(), new EmailRoute(["dead", "live"]), CancellationToken.None);

        Assert.That(result.Accepted, Is.True, result.Error);
        Assert.That(result.Provider, Is.EqualTo("live"));
        Assert.That(result.MessageId, Is.Not.Empty);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(live.Messages.Single().TextBody, Does.Contain("123456"));
    }

    [Test]
    public async Task Concurrent_mails_behind_a_silent_provider_each_fail_over_within_about_one_timeout()
    {
        // The audit measured 1/2/3/4/5 s for five mails when every mail queued for the one shared connection.
        await using var silent = new ScriptedSmtpServer(ScriptedBehaviour.Silent);
        await using var live = new InProcessSmtpServer();
        var timeout = new ProviderTimeout(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var providers = new[]
        {
            Settings("silent", silent.Port, timeout) with { IsDefault = true },
            Settings("live", live.Port, timeout),
        };
        await using var services = EmailServices.Create(providers, [], new EmailSettings("."), NullLoggerFactory.Instance, TimeProvider.System);

        var sends = Enumerable.Range(0, 6).Select(async _ =>
        {
            var watch = Stopwatch.StartNew();
            var result = await services.Sender.SendAsync(OtpMailComposerTests.Request(), new EmailRoute(["silent", "live"]), CancellationToken.None);
            return (result, watch.Elapsed);
        }).ToList();
        var results = await Task.WhenAll(sends);

        Assert.That(results.Select(r => r.result.Provider), Is.All.EqualTo("live"));
        Assert.That(results.Select(r => r.result.Accepted), Is.All.True);
        // A functional failover bound, not a benchmark: each mail pays about one connect timeout, never k of them.
        Assert.That(results.Max(r => r.Elapsed), Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(live.Messages, Has.Count.EqualTo(6));
    }

    [Test]
    public async Task Concurrent_mails_use_parallel_sessions_and_sequential_ones_reuse_them()
    {
        await using var server = new InProcessSmtpServer();
        await using var provider = Provider(server.Port);

        var burst = await Task.WhenAll(Enumerable.Range(0, 3 * SmtpProviderSettings.DefaultPoolSize)
            .Select(i => provider.SendAsync(PickupDirectoryEmailProviderTests.Message(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None)));
        var afterBurst = provider.ConnectCount;
        for (var i = 0; i < 5; i++)
        {
            var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);
            Assert.That(result.Accepted, Is.True, result.Error);
        }

        Assert.That(burst.Select(r => r.Accepted), Is.All.True);
        Assert.That(afterBurst, Is.InRange(1, SmtpProviderSettings.DefaultPoolSize));
        Assert.That(provider.ConnectCount, Is.EqualTo(afterBurst), "sequential mails reuse the idle sessions");
        Assert.That(server.Messages, Has.Count.EqualTo((3 * SmtpProviderSettings.DefaultPoolSize) + 5));
    }

    [Test]
    public async Task Pool_size_one_sends_concurrent_mails_one_after_another_over_one_connection()
    {
        await using var server = new InProcessSmtpServer();
        await using var provider = Provider(server.Port, poolSize: 1);

        var results = await SendConcurrently(provider, 10);

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        Assert.That(server.Messages, Has.Count.EqualTo(10));
        Assert.That(provider.ConnectCount, Is.EqualTo(1));
        Assert.That(server.Sessions, Is.EqualTo(1));
        Assert.That(server.MaxConcurrentMessages, Is.EqualTo(1));
    }

    [Test]
    public async Task Pool_size_four_sends_four_mails_at_once_and_never_more()
    {
        // The server answers no message before four are in progress together: fewer parallel sessions would show as
        // a lower maximum (after the server's bound), more as a higher one.
        await using var server = new InProcessSmtpServer(holdUntilConcurrent: 4);
        await using var provider = Provider(server.Port, poolSize: 4);

        var results = await SendConcurrently(provider, 12);

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        Assert.That(server.MaxConcurrentMessages, Is.EqualTo(4));
        Assert.That(provider.ConnectCount, Is.EqualTo(4));
        Assert.That(server.Sessions, Is.EqualTo(4));
        Assert.That(server.Messages, Has.Count.EqualTo(12));
    }

    [Test]
    public async Task A_session_says_quit_after_max_messages_per_session_and_the_next_mail_opens_a_new_one()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.Normal);
        var provider = Provider(server.Port, poolSize: 1, maxMessagesPerSession: 3);

        var results = new List<ProviderSendResult>();
        for (var i = 0; i < 7; i++)
        {
            results.Add(await provider.SendAsync(PickupDirectoryEmailProviderTests.Message(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None));
        }

        await provider.DisposeAsync();

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        Assert.That(server.Messages, Is.EqualTo(7));
        Assert.That(server.Connections, Is.EqualTo(3), "3 + 3 + 1 mails");
        Assert.That(server.Quits, Is.EqualTo(3), "two retired sessions and the idle one at dispose");
    }

    [Test]
    public async Task All_providers_failing_reports_the_last_error()
    {
        var timeout = new ProviderTimeout(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var providers = new[] { Settings("dead", InProcessSmtpServer.FreePort(), timeout) with { IsDefault = true } };
        await using var services = EmailServices.Create(providers, [], new EmailSettings("."), NullLoggerFactory.Instance, TimeProvider.System);

        var result = await services.Sender.SendAsync(OtpMailComposerTests.Request(), new EmailRoute([]), CancellationToken.None);

        Assert.That(result.Accepted, Is.False);
        Assert.That(result.Provider, Is.EqualTo("dead"));
        Assert.That(result.Error, Does.StartWith("transient"));
    }

    private static EmailProviderSettings Settings(string name, int port, ProviderTimeout timeout) => new(
        name, EmailProviderKind.Smtp, false, timeout, "otp@example.com", "Your OTP", null,
        new SmtpProviderSettings("127.0.0.1", port, false, false, null, null, null, null, null, true), null, 1);

    private static SmtpEmailProvider Provider(
        int port, bool useSsl = false, bool startTls = false, string? user = null, string? password = null, string? caFile = null,
        bool tlsVerify = true, string? certFile = null, string? keyFile = null, ProviderTimeout? timeout = null,
        int poolSize = SmtpProviderSettings.DefaultPoolSize, int maxMessagesPerSession = SmtpProviderSettings.DefaultMaxMessagesPerSession) =>
        new("test", new SmtpProviderSettings("127.0.0.1", port, useSsl, startTls, user, password, certFile, keyFile, caFile, tlsVerify, false, poolSize, maxMessagesPerSession),
            timeout ?? new ProviderTimeout(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), NullLogger.Instance);

    private static Task<ProviderSendResult[]> SendConcurrently(SmtpEmailProvider provider, int count) =>
        Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => provider.SendAsync(PickupDirectoryEmailProviderTests.Message(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None)));
}
