using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Attempts per challenge, failcount and lock (behaviour.md §2 "Attempts" and the locked row).</summary>
public sealed class FailCountTests : EngineTestBase
{
    [Test]
    public async Task A_wrong_pin_raises_the_failcount_of_all_the_users_tokens()
    {
        var first = await EnrollAsync(pin: "1111");
        var second = await EnrollAsync(pin: "2222");

        await AuthAsync("9999");

        Assert.That((await TokenAsync(first.Serial)).FailCount, Is.EqualTo(1));
        Assert.That((await TokenAsync(second.Serial)).FailCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_wrong_otp_with_state_raises_only_the_challenged_tokens_failcount_and_attempts()
    {
        var challenged = await EnrollAsync(pin: "1111");
        var other = await EnrollAsync(pin: "2222");
        var challenge = await AuthAsync("1111");

        await AuthAsync(WrongOtp(LastOtp), challenge.State);

        Assert.That((await TokenAsync(challenged.Serial)).FailCount, Is.EqualTo(1));
        Assert.That((await TokenAsync(other.Serial)).FailCount, Is.EqualTo(0));
        Assert.That((await ChallengesAsync()).Single().Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_challenge_is_closed_after_max_attempts_and_the_right_code_no_longer_works()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");
        var otp = LastOtp;
        for (var i = 0; i < 5; i++)
        {
            await AuthAsync(WrongOtp(otp), challenge.State);
        }

        var result = await AuthAsync(otp, challenge.State);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("challenge closed"));
        Assert.That((await ChallengesAsync()).Single().Status, Is.EqualTo(ChallengeStatus.Closed));
    }

    [Test]
    public async Task Success_resets_the_failcount()
    {
        var token = await EnrollAsync();
        await AuthAsync("9999");
        await AuthAsync("9998");
        var challenge = await AuthAsync("1234");
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(2));

        await AuthAsync(LastOtp, challenge.State);

        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(0));
    }

    [Test]
    public async Task After_max_fail_wrong_pins_the_token_is_locked_and_no_mail_is_sent()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 3 });
        var token = await EnrollAsync();
        for (var i = 0; i < 3; i++)
        {
            await AuthAsync("9999");
        }

        // From another NAS: the one that sent the wrong PINs is held back before the store (FailureLimiterTests).
        var result = await AuthAsync("1234", client: "vpn2");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("locked"));
        Assert.That(result.ReplyMessages, Is.Empty);
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).IsLocked, Is.True);
    }

    [Test]
    public async Task A_token_locked_after_its_challenge_was_mailed_cannot_answer_it()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 2, MaxAttemptsPerChallenge = 10, BindStateToClient = false });
        await EnrollAsync();
        var challenge = await AuthAsync("1234");
        var otp = LastOtp;
        await AuthAsync(WrongOtp(otp), challenge.State);
        await AuthAsync(WrongOtp(otp), challenge.State);

        var result = await AuthAsync(otp, challenge.State, client: "vpn2");

        Assert.That(result.Reason, Is.EqualTo("locked"));
        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
    }

    [Test]
    public async Task Resetting_the_failcount_unlocks_the_token()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 1 });
        var token = await EnrollAsync();
        await AuthAsync("9999", client: "vpn2");
        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("locked"));

        await Store.ResetFailCountAsync(token.Serial, CancellationToken.None);

        Assert.That((await AuthAsync("1234")).Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
    }
}
