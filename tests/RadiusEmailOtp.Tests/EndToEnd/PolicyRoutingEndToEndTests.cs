using NUnit.Framework;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// Issue 4 end to end: the real server routes OTP mails by [[policy]] to real SMTP servers on loopback, the OTP from the
/// received mail is accepted, and each mail's outcome is visible in the log and in <c>challenge list</c>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class PolicyRoutingEndToEndTests
{
    private static readonly TimeSpan s_mailWait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Each_nas_gets_its_mail_from_the_provider_its_client_policy_names_and_the_otp_is_accepted()
    {
        await using var smtpA = await LoopbackSmtpServer.StartAsync();
        await using var smtpB = await LoopbackSmtpServer.StartAsync();
        await using var smtpDefault = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TwoNas + EmailToken() + $$"""
            {{Smtp("smtp-default", smtpDefault.Port, isDefault: true)}}
            {{Smtp("smtp-a", smtpA.Port)}}
            {{Smtp("smtp-b", smtpB.Port)}}

            [[policy]]
            name = "nas-a-mail"
            scope = "authentication"
            action = "email_provider=smtp-a"
            client = "127.0.0.1/32"

            [[policy]]
            name = "nas-b-mail"
            scope = "authentication"
            action = "email_provider=smtp-b"
            client = "127.0.0.2/32"
            """);
        await EnrollAsync(server, "bob", "bob@example.com", "1234");
        using var nasA = new NasClient(server, "secret-a", "127.0.0.1");
        using var nasB = new NasClient(server, "secret-b", "127.0.0.2");

        var mailA = await TwoStepLoginAsync(nasA, smtpA, "bob", "1234");
        var mailB = await TwoStepLoginAsync(nasB, smtpB, "bob", "1234");

        Assert.That(mailA.To.Mailboxes.Single().Address, Is.EqualTo("bob@example.com"));
        Assert.That(mailA.From.Mailboxes.Single().Address, Is.EqualTo("otp@smtp-a.example"));
        Assert.That(mailB.From.Mailboxes.Single().Address, Is.EqualTo("otp@smtp-b.example"));
        Assert.That(smtpA.Messages, Has.Count.EqualTo(1), "NAS B's mail must not go through smtp-a");
        Assert.That(smtpB.Messages, Has.Count.EqualTo(1), "NAS A's mail must not go through smtp-b");
        Assert.That(smtpDefault.Messages, Is.Empty, "a policy matched both NAS: the default provider must stay unused");
    }

    [Test]
    public async Task Radclient_from_nas_a_gets_its_mail_from_smtp_a_and_the_otp_with_the_state_is_accepted()
    {
        Radclient.RequireInstalled();
        await using var smtpA = await LoopbackSmtpServer.StartAsync();
        await using var smtpB = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TwoNas + EmailToken() + $$"""
            {{Smtp("smtp-b", smtpB.Port, isDefault: true)}}
            {{Smtp("smtp-a", smtpA.Port)}}

            [[policy]]
            name = "nas-a-mail"
            scope = "authentication"
            action = "email_provider=smtp-a"
            client = "127.0.0.1/32"
            """);
        await EnrollAsync(server, "ivy", "ivy@example.com", "1357");

        var challenge = await Radclient.RunAsync(server.EndPoint, "auth", "secret-a", "User-Name = \"ivy\"\nUser-Password = \"1357\"\nMessage-Authenticator = 0x00\n", timeoutSeconds: 8);
        var mail = await smtpA.NextMailAsync(s_mailWait);
        var state = challenge.Attribute("State");
        var accept = await Radclient.RunAsync(
            server.EndPoint, "auth", "secret-a", $"User-Name = \"ivy\"\nUser-Password = \"{OtpFrom(mail)}\"\nState = {state}\nMessage-Authenticator = 0x00\n", timeoutSeconds: 8);

        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge.ToString());
        Assert.That(state, Does.StartWith("0x"), challenge.ToString());
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept.ToString());
        Assert.That(smtpB.Messages, Is.Empty);
    }

    [Test]
    public async Task A_dead_first_provider_fails_over_to_the_live_one_within_send_wait()
    {
        await using var live = await LoopbackSmtpServer.StartAsync();
        using var dead = LoopbackSmtpServer.ReserveDeadPort(out var deadPort);
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + EmailToken(sendWait: 3) + $$"""
            {{Smtp("smtp-dead", deadPort, isDefault: true)}}
            {{Smtp("smtp-live", live.Port)}}

            [[policy]]
            name = "failover"
            scope = "authentication"
            action = "email_provider=smtp-dead smtp-live"
            user = "*"
            """);
        await EnrollAsync(server, "carol", "carol@example.com", "4321");
        using var nas = new NasClient(server, "testing123");

        var started = Stopwatch.StartNew();
        var challenge = await nas.LoginAsync("carol", "4321");
        var elapsed = started.Elapsed;
        var mail = await live.NextMailAsync(s_mailWait);
        var accept = await nas.LoginAsync("carol", OtpFrom(mail), NasClient.State(challenge));

        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge), NasClient.ReplyMessage(challenge));
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the failover must fit in send_wait");
        Assert.That(accept.Code, Is.EqualTo(RadiusCode.AccessAccept));
        Assert.That(server.Log.Lines, Has.Some.Contains("failed on provider smtp-dead (Transient)"), server.Log.Text);
        Assert.That(server.Log.Lines, Has.Some.Contains("accepted by provider smtp-live"), server.Log.Text);
        var row = (await ChallengeListAsync(server)).Single();
        Assert.That(row.GetProperty("provider").GetString(), Is.EqualTo("smtp-live"));
    }

    [Test]
    public async Task Challenge_list_and_log_show_provider_outcome_duration_and_the_message_id_of_the_received_mail()
    {
        await using var smtp = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + EmailToken() + Smtp("smtp-a", smtp.Port, isDefault: true));
        var serial = await EnrollAsync(server, "dave", "dave@example.com", "5555");
        using var nas = new NasClient(server, "testing123");

        var challenge = await nas.LoginAsync("dave", "5555");
        var mail = await smtp.NextMailAsync(s_mailWait);
        var otp = OtpFrom(mail);
        var messageId = mail.MessageId ?? string.Empty;
        var row = (await ChallengeListAsync(server)).Single();

        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(messageId, Is.Not.Empty);
        Assert.That(row.GetProperty("serial").GetString(), Is.EqualTo(serial));
        Assert.That(row.GetProperty("provider").GetString(), Is.EqualTo("smtp-a"));
        Assert.That(row.GetProperty("delivery").GetString(), Is.EqualTo("accepted"));
        Assert.That(row.GetProperty("message_id").GetString(), Is.EqualTo(messageId));
        Assert.That(row.GetProperty("delivery_ms").GetInt64(), Is.GreaterThanOrEqualTo(0));
        var outcome = server.Log.Lines.Where(l => l.Contains(messageId, StringComparison.Ordinal) && l.Contains("smtp-a", StringComparison.Ordinal)
            && l.Contains("accepted", StringComparison.Ordinal) && DurationMs().IsMatch(l)).ToList();
        Assert.That(outcome, Is.Not.Empty, server.Log.Text);
        Assert.That(server.Log.Lines, Has.None.Contains(otp), "the OTP must never be logged");
    }

    [Test]
    public async Task Past_send_wait_the_challenge_is_answered_and_the_late_outcome_reaches_the_log_and_challenge_list()
    {
        await using var live = await LoopbackSmtpServer.StartAsync();
        using var silent = LoopbackSmtpServer.StartSilentListener(out var silentPort);
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + EmailToken(sendWait: 1) + $$"""
            {{Smtp("smtp-hang", silentPort, isDefault: true)}}
            {{Smtp("smtp-live", live.Port)}}

            [[policy]]
            name = "slow-first"
            scope = "authentication"
            action = "email_provider=smtp-hang smtp-live"
            user = "*"
            """);
        await EnrollAsync(server, "hank", "hank@example.com", "2468");
        using var nas = new NasClient(server, "testing123");

        var started = Stopwatch.StartNew();
        var challenge = await nas.LoginAsync("hank", "2468");
        var answered = started.Elapsed;
        var mail = await live.NextMailAsync(s_mailWait);
        await WaitForLogAsync(server, "OTP mail for token");
        var row = (await ChallengeListAsync(server)).Single();
        var accept = await nas.LoginAsync("hank", OtpFrom(mail), NasClient.State(challenge));

        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(answered, Is.LessThan(TimeSpan.FromSeconds(1.9)), "the reply waits send_wait (1 s), not the 2 s connect timeout");
        Assert.That(server.Log.Lines, Has.Some.Contains("delivery pending"), server.Log.Text);
        Assert.That(server.Log.Lines, Has.Some.Contains("failed on provider smtp-hang (Transient)"), server.Log.Text);
        Assert.That(row.GetProperty("delivery").GetString(), Is.EqualTo("accepted"));
        Assert.That(row.GetProperty("provider").GetString(), Is.EqualTo("smtp-live"));
        Assert.That(row.GetProperty("message_id").GetString(), Is.EqualTo(mail.MessageId));
        Assert.That(row.GetProperty("delivery_ms").GetInt64(), Is.GreaterThanOrEqualTo(1900), "the duration covers the failed attempt too");
        Assert.That(accept.Code, Is.EqualTo(RadiusCode.AccessAccept));
    }

    [Test]
    public async Task When_every_provider_fails_the_pin_gets_the_send_failed_message_and_challenge_list_shows_the_failure()
    {
        using var deadA = LoopbackSmtpServer.ReserveDeadPort(out var portA);
        using var deadB = LoopbackSmtpServer.ReserveDeadPort(out var portB);
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients
            + EmailToken(sendFailed: "Mail is down, call the helpdesk")
            + Smtp("smtp-a", portA, isDefault: true) + Smtp("smtp-b", portB) + """

            [[policy]]
            name = "both-dead"
            scope = "authentication"
            action = "email_provider=smtp-a smtp-b"
            user = "*"
            """);
        await EnrollAsync(server, "erin", "erin@example.com", "6666");
        using var nas = new NasClient(server, "testing123");

        var reply = await nas.LoginAsync("erin", "6666");
        var row = (await ChallengeListAsync(server)).Single();

        Assert.That(reply.Code, Is.EqualTo(RadiusCode.AccessReject));
        Assert.That(NasClient.ReplyMessage(reply), Is.EqualTo("Mail is down, call the helpdesk"));
        Assert.That(row.GetProperty("delivery").GetString(), Is.EqualTo("failed"));
        Assert.That(row.GetProperty("status").GetString(), Is.Not.EqualTo("open"), "a failed send leaves no open challenge");
        Assert.That(row.GetProperty("provider").GetString(), Is.EqualTo("smtp-b"));
        Assert.That(row.GetProperty("delivery_error").GetString(), Is.Not.Empty);
        Assert.That(server.Log.Lines, Has.Some.Contains("all 2 providers failed"), server.Log.Text);
    }

    [Test]
    public async Task Policy_subject_and_text_and_a_provider_template_shape_the_mail_and_non_ascii_subjects_survive()
    {
        await using var smtp = await LoopbackSmtpServer.StartAsync();
        using var templates = new TempDirectory();
        File.WriteAllText(templates.Combine("vpn.eml"), """
            From: ${From}
            To: ${To}
            Subject: Zugang für ${user} – Code
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Grüße ${user}, dein Code: ${otp} (Token ${serial}).
            """);
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + EmailToken() + $$"""
            [email]
            template_root = "{{templates.Path}}"

            {{Smtp("smtp-a", smtp.Port, isDefault: true)}}
            {{Smtp("smtp-t", smtp.Port, template: "file://vpn.eml")}}

            [[policy]]
            name = "texts-for-frank"
            scope = "authentication"
            action = "email_provider=smtp-a, emailsubject='Ihr Einmalkennwort für ${user} ✓', emailtext='Hallo ${user}, Ihr Code lautet ${otp}. Gültig ${validity} s.'"
            user = "frank"

            [[policy]]
            name = "template-for-gina"
            scope = "authentication"
            action = "email_provider=smtp-t"
            user = "gina"
            """);
        await EnrollAsync(server, "frank", "frank@example.com", "7777");
        var ginaSerial = await EnrollAsync(server, "gina", "gina@example.com", "8888");
        using var nas = new NasClient(server, "testing123");

        var frankMail = await TwoStepLoginAsync(nas, smtp, "frank", "7777");
        var ginaMail = await TwoStepLoginAsync(nas, smtp, "gina", "8888");

        Assert.That(frankMail.Subject, Is.EqualTo("Ihr Einmalkennwort für frank ✓"));
        Assert.That(RawHeader(frankMail, HeaderId.Subject), Does.Contain("=?utf-8?").IgnoreCase.And.Matches("^[\\x20-\\x7E\\r\\n\\t]*$"),
            "the subject travels RFC 2047-encoded, 7-bit");
        Assert.That(frankMail.TextBody, Does.StartWith("Hallo frank, Ihr Code lautet ").And.Contains("Gültig 300 s."));
        Assert.That(ginaMail.Subject, Is.EqualTo("Zugang für gina – Code"), "the template's Subject wins");
        Assert.That(RawHeader(ginaMail, HeaderId.Subject), Does.Contain("=?utf-8?").IgnoreCase);
        Assert.That(ginaMail.TextBody, Does.Contain($"Grüße gina, dein Code: ").And.Contains($"(Token {ginaSerial})."));
        Assert.That(ginaMail.TextBody, Does.Not.Contain("${"));
    }

    [Test]
    public async Task Test_email_through_the_cli_prints_provider_reply_and_time_and_the_mail_arrives()
    {
        await using var smtp = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + EmailToken() + Smtp("smtp-a", smtp.Port, isDefault: true));

        var (exit, stdout, stderr) = await CliProcess.RunAsync(server.Directory.Path, "test-email", "--config", server.ConfigPath, "--provider", "smtp-a", "--to", "bob@example.com");
        var mail = await smtp.NextMailAsync(s_mailWait);

        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("provider:   smtp-a"));
        Assert.That(stdout, Does.Match(@"reply:\s+\S+"), "the SMTP server's reply is printed");
        Assert.That(stdout, Does.Match(@"time:\s+\d+ ms"));
        Assert.That(stdout, Does.Contain(mail.MessageId));
        Assert.That(mail.To.Mailboxes.Single().Address, Is.EqualTo("bob@example.com"));
        Assert.That(OtpFrom(mail), Has.Length.EqualTo(6));
    }

    [Test]
    public async Task Test_email_without_provider_goes_where_the_policy_for_that_client_sends_it()
    {
        await using var smtpA = await LoopbackSmtpServer.StartAsync();
        await using var smtpB = await LoopbackSmtpServer.StartAsync();
        await using var server = await TestServer.StartAsync(TwoNas + EmailToken() + Smtp("smtp-a", smtpA.Port, isDefault: true) + Smtp("smtp-b", smtpB.Port) + """

            [[policy]]
            name = "nas-b-mail"
            scope = "authentication"
            action = "email_provider=smtp-b"
            client = "127.0.0.2/32"
            """);

        var (exit, stdout, stderr) = await CliProcess.RunAsync(server.Directory.Path, "test-email", "--config", server.ConfigPath, "--to", "bob@example.com", "--client", "127.0.0.2");
        var mail = await smtpB.NextMailAsync(s_mailWait);

        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("route:      smtp-b (policy \"nas-b-mail\")"));
        Assert.That(stdout, Does.Contain("provider:   smtp-b"));
        Assert.That(mail.From.Mailboxes.Single().Address, Is.EqualTo("otp@smtp-b.example"));
        Assert.That(smtpA.Messages, Is.Empty);
    }

    private const string TwoNas = """
        [[client]]
        name = "nas-a"
        ipaddr = "127.0.0.1"
        secret = "secret-a"

        [[client]]
        name = "nas-b"
        ipaddr = "127.0.0.2"
        secret = "secret-b"

        """;

    private static string EmailToken(int sendWait = 5, string sendFailed = "The code could not be sent by e-mail.") => $"""

        [email_token]
        send_wait = {sendWait}
        send_failed_message = "{sendFailed}"

        """;

    private static string Smtp(string name, int port, bool isDefault = false, string? template = null) => $$"""

        [[email_provider]]
        name = "{{name}}"
        class = "SMTPEmailProvider"
        default = {{(isDefault ? "true" : "false")}}
        timeout = "2;2"
        config = { SMTP_SERVER = "127.0.0.1", PORT = {{port}}, EMAIL_FROM = "otp@{{name}}.example"{{(template is null ? string.Empty : $", TEMPLATE = \"{template}\"")}} }

        """;

    /// <summary>PIN → Access-Challenge → the mail at <paramref name="smtp"/> → its OTP with the State → Access-Accept.</summary>
    private static async Task<MimeMessage> TwoStepLoginAsync(NasClient nas, LoopbackSmtpServer smtp, string user, string pin)
    {
        var challenge = await nas.LoginAsync(user, pin);
        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge), NasClient.ReplyMessage(challenge));
        var mail = await smtp.NextMailAsync(s_mailWait);
        var accept = await nas.LoginAsync(user, OtpFrom(mail), NasClient.State(challenge));
        Assert.That(accept.Code, Is.EqualTo(RadiusCode.AccessAccept), $"the OTP of the mail for {user} was not accepted: {NasClient.ReplyMessage(accept)}");
        return mail;
    }

    private static async Task<string> EnrollAsync(TestServer server, string user, string email, string pin)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(server.Directory.Path, "token", "enroll", "--config", server.ConfigPath, "--user", user, "--email", email, "--pin", pin);
        Assert.That(exit, Is.Zero, stderr);
        return stdout.Trim();
    }

    private static async Task WaitForLogAsync(TestServer server, string text)
    {
        for (var i = 0; i < 100 && !server.Log.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }

        Assert.That(server.Log.Lines, Has.Some.Contains(text), server.Log.Text);
    }

    private static async Task<List<JsonElement>> ChallengeListAsync(TestServer server)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(server.Directory.Path, "challenge", "list", "--json", "--config", server.ConfigPath);
        Assert.That(exit, Is.Zero, stderr);
        using var document = JsonDocument.Parse(stdout);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string OtpFrom(MimeMessage mail)
    {
        var text = mail.TextBody ?? throw new InvalidOperationException("the mail has no text part");
        var match = SixDigits().Match(text);
        Assert.That(match.Success, Is.True, "no OTP in the mail body:\n" + text);
        return match.Value;
    }

    private static string RawHeader(MimeMessage mail, HeaderId id) => Encoding.ASCII.GetString(mail.Headers.First(h => h.Id == id).RawValue);

    // Six digits standing alone: the serial and the validity never are.
    [GeneratedRegex(@"(?<![\w])\d{6}(?![\w])")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"\b\d+ ms\b")]
    private static partial Regex DurationMs();
}
