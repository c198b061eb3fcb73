using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// A reload swaps the engine's configuration: new requests take the new one, a request in progress finishes on the one
/// it started with, and the old one is retired only after its last request and mail delivery.
/// </summary>
[TestFixture]
public sealed class ReconfigureTests : EngineTestBase
{
    [Test]
    public async Task A_request_in_progress_finishes_on_its_configuration_and_new_requests_take_the_new_one()
    {
        await EnrollAsync();
        await EnrollAsync(user: "bob", email: "bob@example.com");
        var release = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Mail.Behaviour = _ => release.Task;
        var old = Engine.Configuration;

        var pending = AuthAsync("1234");
        await WaitForAsync(() => Mail.Requests.Count == 1);
        var newMail = new FakeMailSender();
        var newSettings = Settings with { ChallengePrompt = "New prompt for ${email_masked}: " };
        Engine.Reconfigure(new EngineConfiguration(newSettings, RealmSettings.Defaults, newMail, new FixedRouteSelector(new EmailRoute(["smtp2"]))));
        Time.Advance(Settings.SendWait);
        var first = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(first.ReplyMessages[0], Does.StartWith("Enter the code sent to"), "the request that started before the swap keeps its prompt");
        Assert.That(old.Retired.IsCompleted, Is.False, "its mail is still being delivered through the old providers");

        var second = await AuthAsync("1234", userName: "bob");
        Assert.That(second.ReplyMessages[0], Does.StartWith("New prompt for"));
        Assert.That(newMail.Requests.Select(r => r.User), Is.EqualTo(new[] { "bob" }), "the new request mails through the new sender");
        Assert.That(Mail.Requests, Has.Count.EqualTo(1));

        release.SetResult(new MailDeliveryResult(true, "outbox", "<late@test>", "250", null, TimeSpan.FromSeconds(1)));
        await old.Retired.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(Engine.Configuration.Retired.IsCompleted, Is.False, "the current configuration is never retired");
    }

    [Test]
    public async Task An_idle_configuration_is_retired_as_soon_as_it_is_replaced()
    {
        await EnrollAsync();
        await AuthAsync("0000");
        var old = Engine.Configuration;
        Assert.That(old.Retired.IsCompleted, Is.False);

        Engine.Reconfigure(new EngineConfiguration(Settings, RealmSettings.Defaults, Mail, Routes));

        Assert.That(old.Retired.IsCompleted, Is.True);
        Assert.That((await AuthAsync("0000")).Outcome, Is.EqualTo(AuthenticationOutcome.Reject), "the engine goes on with the new one");
    }

    [Test]
    public async Task A_reload_that_changes_max_fail_starts_the_per_nas_limit_afresh_under_the_new_rule()
    {
        UseSettings(EmailTokenSettings.Default with { MaxFail = 3 });
        await EnrollAsync();
        for (var i = 0; i < 3; i++)
        {
            await AuthAsync("9999");
        }

        Assert.That((await AuthAsync("9999")).Reason, Is.EqualTo("too many failures from this client"));
        Engine.Reconfigure(new EngineConfiguration(Settings with { MaxFail = 5 }, RealmSettings.Defaults, Mail, Routes));

        Assert.That((await AuthAsync("9999")).Reason, Is.EqualTo("wrong pin"), "the store is asked again");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True);

        // The engine starts its send_wait timer right after the hand-over.
        await Task.Delay(50);
    }
}
