using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Send failure and reply timing (behaviour.md §2 "Send failure" and "Reply timing").</summary>
public sealed class DeliveryTests : EngineTestBase
{
    [Test]
    public async Task When_every_provider_fails_the_reply_is_reject_with_the_send_failed_message()
    {
        var token = await EnrollAsync();
        Mail.Behaviour = _ => Task.FromResult(FakeMailSender.Failed("smtp2"));

        var result = await AuthAsync("1234");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("send failed"));
        Assert.That(result.MailStep, Is.EqualTo(MailStep.None), "a failed send is a failed login, not a challenge");
        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { EmailTokenSettings.DefaultSendFailedMessage }));
        Assert.That(result.State, Is.Null);
        var challenge = (await ChallengesAsync()).Single();
        Assert.That(challenge.Status, Is.EqualTo(ChallengeStatus.Failed));
        Assert.That(challenge.Delivery, Is.EqualTo(DeliveryStatus.Failed));
        Assert.That(challenge.Provider, Is.EqualTo("smtp2"));
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.EqualTo(1), "the counter stays advanced");
    }

    [Test]
    public async Task A_throwing_sender_counts_as_a_failed_send()
    {
        await EnrollAsync();
        Mail.Behaviour = _ => throw new IOException("connection refused");

        var result = await AuthAsync("1234");

        Assert.That(result.Reason, Is.EqualTo("send failed"));
        Assert.That((await ChallengesAsync()).Single().DeliveryError, Does.Contain("connection refused"));
    }

    [Test]
    public async Task After_a_failed_send_the_next_pin_is_not_blocked_and_mails_a_new_code()
    {
        await EnrollAsync();
        Mail.Behaviour = _ => Task.FromResult(FakeMailSender.Failed());
        await AuthAsync("1234");
        var failedOtp = LastOtp;
        Mail.Behaviour = null;

        var result = await AuthAsync("1234");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(LastOtp, Is.Not.EqualTo(failedOtp));
        Assert.That((await AuthAsync(failedOtp, result.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
    }

    [Test]
    public async Task The_route_of_the_selector_is_handed_to_the_sender()
    {
        await EnrollAsync();
        Routes.Route = new EmailRoute(["primary", "backup"], PolicyName: "p1");

        await AuthAsync("1234");

        Assert.That(Mail.LastRoute!.Providers, Is.EqualTo(new[] { "primary", "backup" }));
        Assert.That(Routes.LastQuery!.Value.Realm, Is.EqualTo("example.com"));
        Assert.That(Routes.LastQuery!.Value.Resolver, Is.EqualTo("local"));
    }

    [Test]
    public async Task A_slow_mail_is_answered_after_send_wait_and_its_outcome_is_stored_later()
    {
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ =>
        {
            handedOver.TrySetResult();
            return release.Task;
        };

        var pending = AuthAsync("1234");
        await handedOver.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(pending.IsCompleted, Is.False, "the reply waits for the provider up to send_wait");
        Time.Advance(TimeSpan.FromSeconds(3));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.Reason, Is.EqualTo("challenge sent, delivery pending"));
        Assert.That(result.MailStep, Is.EqualTo(MailStep.MailPending));
        Assert.That(Engine.PendingDeliveries, Is.EqualTo(1));
        Assert.That((await ChallengesAsync()).Single().Delivery, Is.EqualTo(DeliveryStatus.Pending));

        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(9)));
        await Engine.DrainAsync(CancellationToken.None);

        var stored = (await ChallengesAsync()).Single();
        Assert.That(stored.Delivery, Is.EqualTo(DeliveryStatus.Accepted));
        Assert.That(stored.DeliveryDuration, Is.EqualTo(TimeSpan.FromSeconds(9)));
        Assert.That(stored.MessageId, Is.EqualTo("<late@test>"));
        Assert.That(stored.Status, Is.EqualTo(ChallengeStatus.Open));
        Assert.That(Engine.PendingDeliveries, Is.EqualTo(0));
    }

    [Test]
    public async Task A_delivery_cut_off_by_a_restart_does_not_block_the_next_mail_but_its_code_stays_answerable()
    {
        await EnrollAsync();
        var never = new TaskCompletionSource<MailDeliveryResult>();
        var handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ =>
        {
            handedOver.TrySetResult();
            return never.Task;
        };
        var pending = AuthAsync("1234");
        // The store commits on its writer thread: move the clock only once the engine waits for the provider.
        await handedOver.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(3));
        var first = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        var cutOffOtp = LastOtp;

        // What the server does at start: nothing of the previous process is still sending.
        Assert.That(await Store.MarkInterruptedDeliveriesAsync(CancellationToken.None), Is.EqualTo(1));
        Mail.Behaviour = null;
        var second = await AuthAsync("1234");

        Assert.That(second.Reason, Is.EqualTo("challenge sent"), "no 'already sent' block for a mail that may never have left");
        Assert.That(Mail.Requests, Has.Count.EqualTo(2));
        var challenges = await ChallengesAsync();
        Assert.That(challenges.Select(c => c.Delivery), Is.EquivalentTo(new[] { DeliveryStatus.Interrupted, DeliveryStatus.Accepted }));
        Assert.That((await AuthAsync(cutOffOtp, first.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept), "the mail may have arrived after all");
        never.SetResult(FakeMailSender.Failed()); // this test's engine is still waiting for it; let teardown drain
    }

    [Test]
    public async Task A_slow_mail_that_fails_later_ends_its_challenge()
    {
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ =>
        {
            handedOver.TrySetResult();
            return release.Task;
        };
        var pending = AuthAsync("1234");
        await handedOver.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(3));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        release.SetResult(FakeMailSender.Failed());
        await Engine.DrainAsync(CancellationToken.None);

        Assert.That((await ChallengesAsync()).Single().Status, Is.EqualTo(ChallengeStatus.Failed));
        Assert.That((await AuthAsync(LastOtp, result.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
    }

    [Test]
    public async Task A_mail_faster_than_send_wait_reports_its_provider_in_the_reply()
    {
        await EnrollAsync();

        var result = await AuthAsync("1234");

        Assert.That(result.Provider, Is.EqualTo("outbox"));
        Assert.That((await ChallengesAsync()).Single().MessageId, Is.EqualTo("<1@test>"));
    }
}
