using System.Net;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Issue 7: prompts NAS show well (they end in ": ", reject mode says what to do next) and a per-client send_wait.</summary>
public sealed class PromptAndSendWaitTests : EngineTestBase
{
    [Test]
    public async Task The_default_challenge_prompt_and_the_already_sent_prompt_end_in_a_colon_and_a_space()
    {
        await EnrollAsync();

        var first = await AuthAsync("1234");
        var again = await AuthAsync("1234");

        Assert.That(first.ReplyMessages, Has.Exactly(1).Items.And.All.EndsWith(": "));
        Assert.That(again.MailStep, Is.EqualTo(MailStep.AlreadyMailed));
        Assert.That(again.ReplyMessages, Has.Exactly(1).Items.And.All.EndsWith(": ").And.All.Contains("a***e@example.com"));
    }

    [Test]
    public async Task The_already_sent_prompt_is_rendered_with_the_placeholders_of_the_mailed_token()
    {
        UseSettings(EmailTokenSettings.Default with { AlreadySentPrompt = "${user}: code already at ${email_masked}, valid ${validity} s: " });
        await EnrollAsync();
        await AuthAsync("1234");
        Time.Advance(TimeSpan.FromSeconds(100));

        var again = await AuthAsync("1234");

        Assert.That(again.ReplyMessages, Is.EqualTo(new[] { "alice: code already at a***e@example.com, valid 200 s: " }));
    }

    [Test]
    public async Task A_policy_challenge_prompt_still_wins_over_the_default_in_challenge_mode()
    {
        Routes.Route = new EmailRoute(["outbox"], ChallengePrompt: "Code for ${user}: ");
        await EnrollAsync();

        var result = await AuthAsync("1234");

        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { "Code for alice: " }));
    }

    [Test]
    public async Task Reject_mode_uses_the_configured_reject_mode_message()
    {
        UseSettings(EmailTokenSettings.Default with { RejectModeMessage = "Code sent to ${email_masked}; log in with PIN+code." });
        await EnrollAsync();

        var result = await AuthAsync("1234", mode: ChallengeMode.Reject);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { "Code sent to a***e@example.com; log in with PIN+code." }));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_client_send_wait_of_zero_answers_at_once_while_the_mail_is_still_on_its_way()
    {
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ => release.Task;

        // The fake clock never moves: with the global send_wait (2 s) this would wait for ever.
        var result = await PinStepAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.MailStep, Is.EqualTo(MailStep.MailPending));
        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task The_reply_waits_at_most_the_client_send_wait_not_the_global_one()
    {
        UseSettings(EmailTokenSettings.Default with { SendWait = TimeSpan.FromSeconds(10) });
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ => release.Task;

        var pending = PinStepAsync(TimeSpan.FromSeconds(1));
        await WaitForMailAsync();
        Time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.That(pending.IsCompleted, Is.False, "the client's send_wait has not passed yet");
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.MailStep, Is.EqualTo(MailStep.MailPending), "answered after 1 s, not the global 10 s");
        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task Without_a_client_send_wait_the_global_one_applies()
    {
        UseSettings(EmailTokenSettings.Default with { SendWait = TimeSpan.FromSeconds(2) });
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ => release.Task;

        var pending = PinStepAsync(sendWait: null);
        await WaitForMailAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.That(pending.IsCompleted, Is.False, "the global send_wait (2 s) has not passed yet");
        Time.Advance(TimeSpan.FromSeconds(1));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.MailStep, Is.EqualTo(MailStep.MailPending));
        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(3)));
    }

    private async Task WaitForMailAsync()
    {
        // The engine starts the timer right after handing the mail over; wait for the hand-over on the real clock.
        for (var i = 0; i < 500 && Mail.Requests.Count == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        await Task.Delay(50);
    }

    private Task<AuthenticationResult> PinStepAsync(TimeSpan? sendWait) =>
        Engine.AuthenticateAsync(
            new AuthenticationRequest("alice", "1234", ReadOnlyMemory<byte>.Empty, "vpn1", IPAddress.Parse("10.1.2.3"), ChallengeMode.Challenge)
            {
                SendWait = sendWait,
            },
            CancellationToken.None);
}
