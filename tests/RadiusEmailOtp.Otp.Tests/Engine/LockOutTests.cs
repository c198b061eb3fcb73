using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Issue 7 item 5: strangers who know a user name cannot lock the user out for good, nor by a burst of copies.</summary>
public sealed class LockOutTests : EngineTestBase
{
    [Test]
    public async Task Twelve_wrong_passwords_lock_the_token_until_failcount_clear_timeout_has_passed()
    {
        var token = await EnrollAsync();
        for (var i = 0; i < 12; i++)
        {
            await AuthAsync("9999");
        }

        Assert.That((await TokenAsync(token.Serial)).IsLocked, Is.True);
        Time.Advance(Settings.FailCountClearTimeout - TimeSpan.FromSeconds(1));
        Assert.That((await AuthAsync("1234", client: "vpn2")).Reason, Is.EqualTo("locked"), "not before the timeout");

        Time.Advance(TimeSpan.FromSeconds(2));
        var result = await AuthAsync("1234");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero);
    }

    [Test]
    public async Task With_failcount_clear_timeout_zero_only_a_reset_unlocks()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 2, FailCountClearTimeout = TimeSpan.Zero });
        var token = await EnrollAsync();
        await AuthAsync("9999");
        await AuthAsync("9999");

        Time.Advance(TimeSpan.FromDays(2));

        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("locked"));
        Assert.That((await TokenAsync(token.Serial)).IsLocked, Is.True);
    }

    [Test]
    public async Task After_max_fail_failures_from_one_nas_its_requests_are_refused_without_raising_the_failcount()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 3 });
        var token = await EnrollAsync();
        for (var i = 0; i < 30; i++)
        {
            await AuthAsync("9999");
        }

        var fromThatNas = await AuthAsync("1234");

        Assert.That(fromThatNas.Reason, Is.EqualTo("too many failures from this client"));
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(3), "the flood stopped at the lock");
        Assert.That(Mail.Requests, Is.Empty);
    }

    [Test]
    public async Task The_per_nas_limit_ends_when_its_window_has_passed()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 3, FailCountClearTimeout = TimeSpan.FromSeconds(60) });
        await EnrollAsync();
        for (var i = 0; i < 3; i++)
        {
            await AuthAsync("9999");
        }

        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("too many failures from this client"));
        Time.Advance(TimeSpan.FromSeconds(61));

        Assert.That((await AuthAsync("1234")).Outcome, Is.EqualTo(AuthenticationOutcome.Challenge), "lock and limit have both expired");
    }

    [Test]
    public async Task Twenty_concurrent_copies_of_a_correct_pin_and_otp_give_one_accept_and_no_failure()
    {
        var token = await EnrollAsync();
        await AuthAsync("1234");
        var password = "1234" + LastOtp;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AuthAsync(password)));

        Assert.That(results.Count(r => r.Outcome == AuthenticationOutcome.Accept), Is.EqualTo(1));
        Assert.That(results.Where(r => r.Outcome != AuthenticationOutcome.Accept).Select(r => r.Reason), Is.All.EqualTo("otp already used"));
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero);
        Assert.That((await AuthAsync("1234")).Outcome, Is.EqualTo(AuthenticationOutcome.Challenge), "the user is neither locked nor rate-limited");
    }

    [Test]
    public async Task Twenty_concurrent_copies_of_a_correct_otp_under_ignore_pin_mail_no_second_code()
    {
        UseSettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.IgnorePin });
        var token = await EnrollAsync();
        await AuthAsync("anything");
        var otp = LastOtp;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AuthAsync(otp)));

        Assert.That(results.Count(r => r.Outcome == AuthenticationOutcome.Accept), Is.EqualTo(1));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1), "a late copy is not a trigger");
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero);
    }

    [Test]
    public async Task A_late_copy_with_state_is_rejected_without_counting()
    {
        var token = await EnrollAsync();
        var challenge = await AuthAsync("1234");
        var otp = LastOtp;
        Assert.That((await AuthAsync(otp, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));

        for (var i = 0; i < 15; i++)
        {
            Assert.That((await AuthAsync(otp, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        }

        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero);
        Assert.That((await AuthAsync("1234")).Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
    }

    [Test]
    public async Task A_mail_of_unknown_outcome_keeps_its_challenge_answerable()
    {
        await EnrollAsync();
        Mail.Behaviour = _ => Task.FromResult(new MailDeliveryResult(false, "outbox", "<1@test>", null, "no reply", TimeSpan.Zero) { Unknown = true });

        var challenge = await AuthAsync("1234");
        await Engine.DrainAsync(CancellationToken.None);

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That((await ChallengesAsync()).Single().Delivery, Is.EqualTo(DeliveryStatus.Unknown));
        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("already sent"), "the mail may be in the inbox: no second one");
        Assert.That((await AuthAsync(LastOtp, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }
}
