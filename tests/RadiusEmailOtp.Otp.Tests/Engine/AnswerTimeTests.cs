using System.Net;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// The request's answer time (the server's max_request_time): a PIN step out of time stops before the counter moves,
/// and once a mail is out, the reply never waits past it.
/// </summary>
public sealed class AnswerTimeTests : EngineTestBase
{
    [Test]
    public async Task A_pin_step_whose_answer_time_passed_before_the_counter_advance_sends_no_mail_and_leaves_the_counter()
    {
        var token = await EnrollAsync();

        var result = await PinStepAsync(answerBy: Time.GetUtcNow());

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Drop));
        Assert.That(result.MailStep, Is.EqualTo(MailStep.None));
        Assert.That(result.State, Is.Null);
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.Zero, "the counter did not move");
        Assert.That(await ChallengesAsync(), Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero, "a dropped request is no failed login");
    }

    [Test]
    public async Task The_retransmit_after_a_drop_mails_the_code_of_the_unused_counter()
    {
        var token = await EnrollAsync();
        await PinStepAsync(answerBy: Time.GetUtcNow() - TimeSpan.FromSeconds(1));

        var result = await PinStepAsync(answerBy: Time.GetUtcNow() + TimeSpan.FromSeconds(5));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That((await ChallengesAsync()).Single().Counter, Is.Zero, "the dropped request used up no counter value");
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.EqualTo(1));
    }

    [Test]
    public async Task Once_the_mail_is_handed_over_the_reply_goes_out_at_the_answer_time_without_waiting_out_send_wait()
    {
        await EnrollAsync();
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The store and the hand-over took longer than the time left: AnswerBy passes after the counter advanced.
        Mail.OnSend = _ =>
        {
            Time.Advance(TimeSpan.FromSeconds(2));
            return Task.CompletedTask;
        };
        Mail.Behaviour = _ => release.Task;

        var result = await PinStepAsync(answerBy: Time.GetUtcNow() + TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge), "after a mail the reply always goes out");
        Assert.That(result.MailStep, Is.EqualTo(MailStep.MailPending));
        Assert.That(result.State, Is.Not.Null);
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(2)));
        await Engine.DrainAsync(CancellationToken.None);
        Assert.That((await ChallengesAsync()).Single().Delivery, Is.EqualTo(DeliveryStatus.Accepted));
    }

    [Test]
    public async Task A_repeated_pin_within_blocking_timeout_is_answered_even_out_of_time_as_it_mails_nothing()
    {
        await EnrollAsync();
        var first = await PinStepAsync(answerBy: DateTimeOffset.MaxValue);

        var again = await PinStepAsync(answerBy: Time.GetUtcNow());

        Assert.That(again.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(again.MailStep, Is.EqualTo(MailStep.AlreadyMailed));
        Assert.That(again.State, Is.EqualTo(first.State));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    private Task<AuthenticationResult> PinStepAsync(DateTimeOffset answerBy) =>
        Engine.AuthenticateAsync(
            new AuthenticationRequest("alice", "1234", ReadOnlyMemory<byte>.Empty, "vpn1", IPAddress.Parse("10.1.2.3"), ChallengeMode.Challenge)
            {
                AnswerBy = answerBy,
            },
            CancellationToken.None);
}
