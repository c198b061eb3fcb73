using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>HOTP, counter, otppin modes and several tokens per user (behaviour.md §2 rules).</summary>
public sealed class TokenRuleTests : EngineTestBase
{
    [Test]
    public async Task The_counter_is_advanced_in_the_store_before_the_mail_leaves()
    {
        var token = await EnrollAsync();
        long? counterWhenSent = null;
        Mail.OnSend = async _ => counterWhenSent = (await TokenAsync(token.Serial)).Counter;

        await AuthAsync("1234");

        Assert.That(counterWhenSent, Is.EqualTo(1));
        Assert.That((await ChallengesAsync()).Single().Counter, Is.EqualTo(0));
    }

    [Test]
    public async Task The_mailed_otp_is_the_hotp_of_the_challenge_counter_with_the_tokens_hash_and_length()
    {
        var token = await EnrollAsync(hash: OtpHashAlgorithm.Sha256, otpLength: 8);
        var challenge = await AuthAsync("1234");
        var seed = Storage.Protector.OpenSeed(token);

        Assert.That(LastOtp, Is.EqualTo(Hotp.Compute(seed, OtpHashAlgorithm.Sha256, 8, 0)));
        Assert.That(LastOtp, Is.Not.EqualTo(Hotp.Compute(seed, OtpHashAlgorithm.Sha1, 8, 0)));
        Assert.That((await AuthAsync(LastOtp, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task An_eight_digit_pin_plus_otp_without_state_is_split_by_the_tokens_length()
    {
        await EnrollAsync(otpLength: 8, hash: OtpHashAlgorithm.Sha512);
        await AuthAsync("1234");

        Assert.That(LastOtp, Has.Length.EqualTo(8));
        Assert.That((await AuthAsync("1234" + LastOtp)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task The_counter_never_moves_backwards_and_no_otp_is_mailed_twice()
    {
        var token = await EnrollAsync();
        var otps = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var challenge = await AuthAsync("1234");
            otps.Add(LastOtp);
            await AuthAsync(i % 2 == 0 ? LastOtp : WrongOtp(LastOtp), challenge.State);
            // Past the blocking window and the mail window (three mails per 600 s), so every PIN mails.
            Time.Advance(TimeSpan.FromSeconds(601));
        }

        var counters = (await ChallengesAsync()).Select(c => c.Counter).OrderBy(c => c).ToList();
        Assert.That(counters, Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(otps.Distinct().Count(), Is.EqualTo(4));
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.EqualTo(4));
    }

    [Test]
    public async Task Concurrent_answers_with_the_same_otp_are_accepted_once()
    {
        await EnrollAsync();
        var challenge = await AuthAsync("1234");
        var otp = LastOtp;

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => i % 2 == 0
            ? AuthAsync(otp, challenge.State)
            : AuthAsync("1234" + otp))));

        Assert.That(results.Count(r => r.Outcome == AuthenticationOutcome.Accept), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_otp_mode_triggers_on_an_empty_password_and_accepts_the_bare_otp()
    {
        UseSettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.OnlyOtp });
        await EnrollAsync();

        var challenge = await AuthAsync(string.Empty);
        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That((await AuthAsync("1234")).Outcome, Is.EqualTo(AuthenticationOutcome.Reject), "a PIN is not a password in only_otp");
        Assert.That((await AuthAsync(LastOtp)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Ignore_pin_mode_triggers_on_any_password_and_accepts_any_prefix_with_the_otp()
    {
        UseSettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.IgnorePin });
        await EnrollAsync();

        var challenge = await AuthAsync("whatever");
        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That((await AuthAsync("anything" + LastOtp)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task A_pin_matching_several_tokens_mails_each_under_one_state_and_either_code_answers()
    {
        var first = await EnrollAsync(email: "alice@example.com");
        var second = await EnrollAsync(email: "alice.private@example.org");

        var challenge = await AuthAsync("1234");

        Assert.That(Mail.Requests.Select(r => r.Serial), Is.EquivalentTo(new[] { first.Serial, second.Serial }));
        Assert.That(challenge.Serials, Is.EquivalentTo(new[] { first.Serial, second.Serial }));
        Assert.That(challenge.ReplyMessages.Single(), Does.Contain("a***e@example.com").And.Contain("a***e@example.org"));
        var otpOfSecond = Mail.Requests.Single(r => r.Serial == second.Serial).Otp;
        var result = await AuthAsync(otpOfSecond, challenge.State);
        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(result.Serials, Is.EqualTo(new[] { second.Serial }));
    }

    [Test]
    public async Task Only_the_token_whose_pin_matches_is_mailed()
    {
        await EnrollAsync(pin: "1111");
        var second = await EnrollAsync(pin: "2222");

        await AuthAsync("2222");

        Assert.That(Mail.Requests.Single().Serial, Is.EqualTo(second.Serial));
    }

    [Test]
    public async Task After_one_tokens_code_is_accepted_the_other_tokens_code_cannot_use_the_same_state_again()
    {
        var first = await EnrollAsync(email: "alice@example.com");
        var second = await EnrollAsync(email: "alice.private@example.org");
        var challenge = await AuthAsync("1234");
        var otpOfFirst = Mail.Requests.Single(r => r.Serial == first.Serial).Otp;
        var otpOfSecond = Mail.Requests.Single(r => r.Serial == second.Serial).Otp;
        Assert.That((await AuthAsync(otpOfFirst, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));

        var replay = await AuthAsync(otpOfSecond, challenge.State);
        var replayWithoutState = await AuthAsync("1234" + otpOfSecond);

        Assert.That(replay.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(replay.Reason, Is.EqualTo("challenge closed"));
        Assert.That(replayWithoutState.Outcome, Is.Not.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task After_a_login_with_several_tokens_the_next_pin_mails_again_instead_of_already_sent()
    {
        await EnrollAsync(email: "alice@example.com");
        var second = await EnrollAsync(email: "alice.private@example.org");
        var challenge = await AuthAsync("1234");
        var otpOfSecond = Mail.Requests.Single(r => r.Serial == second.Serial).Otp;
        Assert.That((await AuthAsync(otpOfSecond, challenge.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));

        var next = await AuthAsync("1234");

        Assert.That(next.Reason, Is.EqualTo("challenge sent"));
        Assert.That(next.State, Is.Not.EqualTo(challenge.State));
        Assert.That(Mail.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Ignore_pin_mode_treats_a_long_digit_password_during_an_open_challenge_as_a_trigger_not_a_wrong_otp()
    {
        UseSettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.IgnorePin });
        var token = await EnrollAsync();
        var first = await AuthAsync("12345678");
        var otp = LastOtp;

        var again = await AuthAsync("12345678");

        Assert.That(again.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(again.Reason, Is.EqualTo("already sent"));
        Assert.That(again.State, Is.EqualTo(first.State));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(0));
        Assert.That((await AuthAsync(otp, first.State)).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Ignore_pin_mode_bounds_guesses_without_state_by_the_challenges_attempts()
    {
        UseSettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.IgnorePin });
        await EnrollAsync();
        await AuthAsync("trigger");
        var otp = LastOtp;
        for (var i = 0; i < Settings.MaxAttemptsPerChallenge; i++)
        {
            await AuthAsync("x" + WrongOtp(otp));
        }

        var late = await AuthAsync("x" + otp);

        Assert.That(late.Outcome, Is.Not.EqualTo(AuthenticationOutcome.Accept));
        Assert.That((await ChallengesAsync()).Single(c => c.Counter == 0).Status, Is.EqualTo(ChallengeStatus.Closed));
    }
}
