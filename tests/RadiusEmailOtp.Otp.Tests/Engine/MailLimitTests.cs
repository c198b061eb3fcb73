using System.Net;
using RadiusEmailOtp.Otp.Engine;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Issue 7 items 6 and 7: at most max_mails_per_window mails per token, and no mail for a reply that cannot go.</summary>
public sealed class MailLimitTests : EngineTestBase
{
    // A trigger in each mode: the PIN, nothing, anything.
    private static readonly (OtpPinMode Mode, string Trigger)[] s_modes =
        [(OtpPinMode.TokenPin, "1234"), (OtpPinMode.OnlyOtp, ""), (OtpPinMode.IgnorePin, "whatever")];

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task Three_mails_per_window_in_every_otppin_mode_then_the_newest_challenge_is_repeated(int mode)
    {
        var (otpPin, trigger) = s_modes[mode];
        // No blocking window, and every challenge closed by wrong answers: without the limit each trigger would mail.
        UseSettings(EmailTokenSettings.Default with { OtpPin = otpPin, BlockingTimeout = TimeSpan.Zero, MaxAttemptsPerChallenge = 1 });
        await EnrollAsync();
        var results = new List<AuthenticationResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await AuthAsync(trigger));
            Time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.That(Mail.Requests, Has.Count.EqualTo(3));
        var limited = results[3];
        Assert.That(limited.Reason, Is.EqualTo("mail limit reached"));
        Assert.That(limited.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(limited.State, Is.EqualTo(results[2].State), "the State of the newest open challenge");
        Assert.That(limited.ReplyMessages.Single(), Does.StartWith("A code was already sent to"));
    }

    [Test]
    public async Task The_limit_ends_with_its_window()
    {
        UseSettings(EmailTokenSettings.Default with { BlockingTimeout = TimeSpan.Zero, MaxMailsPerWindow = 2, MailWindow = TimeSpan.FromSeconds(100) });
        await EnrollAsync();
        await AuthAsync("1234");
        await AuthAsync("1234");
        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("mail limit reached"));

        Time.Advance(TimeSpan.FromSeconds(101));

        Assert.That((await AuthAsync("1234")).Reason, Is.EqualTo("challenge sent"));
        Assert.That(Mail.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Without_an_open_challenge_the_limit_answers_with_a_reject()
    {
        UseSettings(EmailTokenSettings.Default with { BlockingTimeout = TimeSpan.Zero, MaxMailsPerWindow = 1, ChallengeValidity = TimeSpan.FromSeconds(30) });
        await EnrollAsync();
        await AuthAsync("1234");
        Time.Advance(TimeSpan.FromSeconds(31));

        var result = await AuthAsync("1234");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("mail limit reached"));
        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { Settings.SendFailedMessage }));
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_reply_that_would_not_fit_sends_no_mail_and_moves_no_counter()
    {
        var token = await EnrollAsync();

        var result = await Engine.AuthenticateAsync(
            new AuthenticationRequest("alice", "1234", ReadOnlyMemory<byte>.Empty, "vpn1", IPAddress.Loopback, ChallengeMode.Challenge)
            {
                ReplyFits = _ => false,
            },
            CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("reply too large"));
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.EqualTo(token.Counter));
    }
}
