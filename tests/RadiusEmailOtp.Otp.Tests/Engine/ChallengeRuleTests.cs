using System.Text;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Blocking, validity, several open challenges, State binding and cleanup (behaviour.md §2 rules).</summary>
public sealed class ChallengeRuleTests : EngineTestBase
{
    [Test]
    public async Task A_second_pin_inside_the_blocking_window_returns_the_same_state_and_sends_no_mail()
    {
        await EnrollAsync();
        var first = await AuthAsync("1234");
        Time.Advance(TimeSpan.FromSeconds(60));

        var second = await AuthAsync("1234");

        Assert.That(second.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(second.State, Is.EqualTo(first.State));
        Assert.That(second.ReplyMessages, Is.EqualTo(new[] { "A code was already sent to a***e@example.com. Enter it: " }));
        Assert.That(second.Reason, Is.EqualTo("already sent"));
        Assert.That(first.MailStep, Is.EqualTo(MailStep.Mailed));
        Assert.That(second.MailStep, Is.EqualTo(MailStep.AlreadyMailed));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_pin_from_another_nas_inside_the_blocking_window_gets_a_state_it_can_answer()
    {
        await EnrollAsync();
        var first = await AuthAsync("1234", client: "vpn1");
        Time.Advance(TimeSpan.FromSeconds(30));

        var second = await AuthAsync("1234", client: "vpn2");

        Assert.That(second.Reason, Is.EqualTo("challenge sent"), "the first State is bound to vpn1 and useless at vpn2");
        Assert.That(second.State, Is.Not.EqualTo(first.State));
        Assert.That(Mail.Requests, Has.Count.EqualTo(2));
        Assert.That((await AuthAsync(LastOtp, second.State, client: "vpn2")).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task A_second_pin_inside_the_blocking_window_in_reject_mode_is_rejected_with_the_reject_mode_message()
    {
        await EnrollAsync();
        await AuthAsync("1234", mode: ChallengeMode.Reject);

        var second = await AuthAsync("1234", mode: ChallengeMode.Reject);

        Assert.That(second.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(
            second.ReplyMessages, Is.EqualTo(new[] { "A code was sent to a***e@example.com. Log in again with your PIN followed by the code." }));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_block_lifts_when_the_challenge_is_answered()
    {
        await EnrollAsync();
        var first = await AuthAsync("1234");
        await AuthAsync(LastOtp, first.State);

        var second = await AuthAsync("1234");

        Assert.That(second.Reason, Is.EqualTo("challenge sent"));
        Assert.That(second.State, Is.Not.EqualTo(first.State));
        Assert.That(Mail.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_block_lifts_after_the_blocking_timeout()
    {
        await EnrollAsync();
        await AuthAsync("1234");
        Time.Advance(TimeSpan.FromSeconds(121));

        var second = await AuthAsync("1234");

        Assert.That(second.Reason, Is.EqualTo("challenge sent"));
        Assert.That(Mail.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Concurrent_pin_requests_of_one_user_send_one_mail_and_share_the_state()
    {
        await EnrollAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => AuthAsync("1234"))));

        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That(results.Select(r => Encoding.ASCII.GetString(r.State!)).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_otp_after_the_validity_is_rejected()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");
        Time.Advance(TimeSpan.FromSeconds(301));

        var withState = await AuthAsync(LastOtp, challenge.State);
        var withoutState = await AuthAsync("1234" + LastOtp);

        Assert.That(withState.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(withState.Reason, Is.EqualTo("challenge expired"));
        Assert.That(withoutState.Outcome, Is.Not.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Every_open_challenge_is_answerable_and_an_answer_closes_the_older_ones_only()
    {
        await EnrollAsync();
        var states = new List<byte[]>();
        var otps = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            states.Add((await AuthAsync("1234")).State!);
            otps.Add(LastOtp);
            Time.Advance(TimeSpan.FromSeconds(121));
        }

        Assert.That(otps.Distinct().Count(), Is.EqualTo(3), "every challenge takes a fresh counter");
        Assert.That((await AuthAsync(otps[1], states[1])).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That((await AuthAsync(otps[0], states[0])).Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That((await AuthAsync("1234" + otps[2])).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task An_earlier_code_is_accepted_without_state_while_a_later_one_is_open()
    {
        await EnrollAsync();
        await AuthAsync("1234");
        var early = LastOtp;
        Time.Advance(TimeSpan.FromSeconds(121));
        await AuthAsync("1234");

        var result = await AuthAsync("1234" + early);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That((await ChallengesAsync()).Select(c => c.Status), Is.EquivalentTo(new[] { ChallengeStatus.Answered, ChallengeStatus.Open }));
    }

    [Test]
    public async Task A_state_is_answered_only_by_the_same_user()
    {
        await EnrollAsync();
        await EnrollAsync(user: "bob", pin: "4321", email: "bob@example.com");
        var challenge = await AuthAsync("1234");

        var result = await AuthAsync(LastOtp, challenge.State, userName: "bob");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("unknown state"));
        Assert.That((await AuthAsync(LastOtp, challenge.State, userName: "alice@Example.COM")).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task A_state_is_answered_only_from_the_same_client_by_default()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234", client: "vpn1");

        var other = await AuthAsync(LastOtp, challenge.State, client: "vpn2");
        var same = await AuthAsync(LastOtp, challenge.State, client: "vpn1");

        Assert.That(other.Reason, Is.EqualTo("unknown state"));
        Assert.That(same.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Client_binding_can_be_switched_off()
    {
        UseSettings(EmailTokenSettings.Default with { BindStateToClient = false });
        await EnrollAsync();
        var challenge = await AuthAsync("1234", client: "vpn1");

        var other = await AuthAsync(LastOtp, challenge.State, client: "vpn2");

        Assert.That(other.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task An_unknown_or_unprintable_state_is_rejected()
    {
        await EnrollAsync();
        await AuthAsync("1234");

        var unknown = await AuthAsync(LastOtp, "no-such-state"u8.ToArray());
        var binary = await AuthAsync(LastOtp, [0x00, 0x01, 0xff]);

        Assert.That(unknown.Reason, Is.EqualTo("unknown state"));
        Assert.That(binary.Reason, Is.EqualTo("unknown state"));
    }

    [Test]
    public async Task A_disabled_token_cannot_answer_its_open_challenge()
    {
        var token = await EnrollAsync();
        var challenge = await AuthAsync("1234");
        await Store.SetActiveAsync(token.Serial, false, CancellationToken.None);

        var result = await AuthAsync(LastOtp, challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
    }

    [Test]
    public async Task User_names_are_case_insensitive_for_the_token_and_the_state()
    {
        var token = await EnrollAsync(user: "Alice");
        Assert.That(token.User, Is.EqualTo("alice"), "stored folded");

        var challenge = await AuthAsync("1234", userName: "ALICE");
        var result = await AuthAsync(LastOtp, challenge.State, userName: "alice@Example.COM");

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(result.User, Is.EqualTo("alice"));
    }
}
