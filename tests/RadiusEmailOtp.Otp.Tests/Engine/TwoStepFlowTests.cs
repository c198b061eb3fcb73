using System.Text;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>The rows of behaviour.md §2's flow table.</summary>
public sealed class TwoStepFlowTests : EngineTestBase
{
    [Test]
    public async Task Pin_without_state_mails_the_otp_and_answers_a_challenge_with_state_and_prompt()
    {
        var token = await EnrollAsync();

        var result = await AuthAsync("1234");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.State, Is.Not.Null.And.Not.Empty);
        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { "Enter the code sent to a***e@example.com: " }));
        Assert.That(result.Serials, Is.EqualTo(new[] { token.Serial }));
        Assert.That(result.Provider, Is.EqualTo("outbox"));
        Assert.That(result.SessionTimeout, Is.EqualTo(TimeSpan.FromSeconds(300)));
        Assert.That(result.User, Is.EqualTo("alice"));
        Assert.That(result.Realm, Is.EqualTo("example.com"));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That(Mail.Requests[0].Email, Is.EqualTo("alice@example.com"));
        Assert.That(Mail.Requests[0].Otp, Does.Match("^[0-9]{6}$"));
        Assert.That(Mail.Requests[0].Validity, Is.EqualTo(TimeSpan.FromSeconds(300)));
    }

    [Test]
    public async Task Pin_in_reject_mode_answers_reject_with_the_reject_mode_message_and_still_mails()
    {
        await EnrollAsync();

        var result = await AuthAsync("1234", mode: ChallengeMode.Reject);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.State, Is.Null);
        Assert.That(
            result.ReplyMessages, Is.EqualTo(new[] { "A code was sent to a***e@example.com. Log in again with your PIN followed by the code." }));
        Assert.That(result.Reason, Is.EqualTo("challenge sent"));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Otp_with_state_is_accepted_and_closes_the_challenge()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");

        var result = await AuthAsync(LastOtp, challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(result.Reason, Is.EqualTo("ok"));
        Assert.That((await ChallengesAsync()).Single().Status, Is.EqualTo(ChallengeStatus.Answered));
    }

    [Test]
    public async Task The_same_otp_with_state_is_accepted_only_once()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");
        var otp = LastOtp;
        Assert.That((await AuthAsync(otp, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));

        var again = await AuthAsync(otp, challenge.State);
        var withoutState = await AuthAsync("1234" + otp);

        Assert.That(again.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(withoutState.Outcome, Is.Not.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Wrong_otp_with_state_is_rejected_without_reply_message()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");

        var result = await AuthAsync(WrongOtp(LastOtp), challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("wrong otp"));
        Assert.That(result.ReplyMessages, Is.Empty);
    }

    [Test]
    public async Task Pin_plus_otp_with_state_is_accepted_when_the_pin_is_right()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");

        var result = await AuthAsync("1234" + LastOtp, challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Pin_plus_otp_with_state_and_a_wrong_pin_is_rejected()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");

        var result = await AuthAsync("9999" + LastOtp, challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
    }

    [TestCase(ChallengeMode.Challenge)]
    [TestCase(ChallengeMode.Reject)]
    public async Task Pin_plus_otp_without_state_is_accepted_in_both_modes(ChallengeMode mode)
    {
        await EnrollAsync();
        await AuthAsync("1234", mode: mode);

        var result = await AuthAsync("1234" + LastOtp, mode: mode);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Pin_plus_wrong_otp_without_state_is_rejected()
    {
        await EnrollAsync();
        await AuthAsync("1234");

        var result = await AuthAsync("1234" + WrongOtp(LastOtp));

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("wrong otp"));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Wrong_pin_unknown_user_no_token_and_disabled_token_answer_identically()
    {
        var alice = await EnrollAsync();
        await EnrollAsync(user: "dave", pin: "5555");
        var dave = (await Store.ListTokensAsync("dave", null, CancellationToken.None)).Single();
        await Store.SetActiveAsync(dave.Serial, false, CancellationToken.None);

        var results = new[]
        {
            await AuthAsync("9999"),
            await AuthAsync("1234", userName: "mallory"),
            await AuthAsync("1234", userName: "bob@example.com"),
            await AuthAsync("5555", userName: "dave"),
        };

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(results.Select(r => r.ReplyMessages.Count), Is.All.EqualTo(0));
        Assert.That(results.Select(r => r.State), Is.All.Null);
        Assert.That(results.Select(r => r.SessionTimeout), Is.All.Null);
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That(results[0].Reason, Is.EqualTo("wrong pin"));
        Assert.That((await TokenAsync(alice.Serial)).FailCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Realm_in_the_user_name_is_split_and_lowercased()
    {
        await EnrollAsync();

        var result = await AuthAsync("1234", userName: "alice@EXAMPLE.com");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(result.Realm, Is.EqualTo("example.com"));
        Assert.That(Routes.LastQuery!.Value.User, Is.EqualTo("alice"));
    }

    [Test]
    public async Task A_token_in_another_realm_does_not_answer_for_the_default_realm()
    {
        await EnrollAsync(realm: "other.org");

        var bare = await AuthAsync("1234");
        var qualified = await AuthAsync("1234", userName: "alice@other.org");

        Assert.That(bare.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(qualified.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
    }

    [Test]
    public async Task Prompt_fills_every_placeholder_and_a_policy_prompt_wins()
    {
        var token = await EnrollAsync();
        Routes.Route = new EmailRoute(["outbox"], ChallengePrompt: "${user}|${realm}|${serial}|${validity}|${email_masked}");

        var result = await AuthAsync("1234");

        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { $"alice|example.com|{token.Serial}|300|a***e@example.com" }));
    }

    [Test]
    public async Task Reason_never_contains_the_pin_or_the_otp()
    {
        await EnrollAsync(pin: "pin-4711");
        var challenge = await AuthAsync("pin-4711");
        var otp = LastOtp;
        var results = new[]
        {
            challenge,
            await AuthAsync(WrongOtp(otp), challenge.State),
            await AuthAsync("pin-4711" + otp),
        };

        foreach (var result in results)
        {
            Assert.That(result.Reason, Does.Not.Contain("4711").And.Not.Contain(otp));
            Assert.That(string.Join(" ", result.ReplyMessages), Does.Not.Contain(otp));
        }
    }

    [Test]
    public async Task State_is_printable_ascii_of_at_least_96_bits_and_fresh_each_time()
    {
        await EnrollAsync();
        var first = await AuthAsync("1234");
        await AuthAsync("1234" + LastOtp);
        var second = await AuthAsync("1234");

        foreach (var state in new[] { first.State!, second.State! })
        {
            Assert.That(state.Length * 6, Is.GreaterThanOrEqualTo(96));
            Assert.That(state, Is.All.InRange((byte)0x21, (byte)0x7e));
        }

        Assert.That(Encoding.ASCII.GetString(second.State!), Is.Not.EqualTo(Encoding.ASCII.GetString(first.State!)));
    }
}
