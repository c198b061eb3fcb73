using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>A client's own <c>send_wait</c> travels from its settings through the handler into the engine.</summary>
[TestFixture]
public sealed class OtpHandlerSendWaitTests : HandlerEngineTestBase
{
    private OtpEngine _engine = null!;
    private TaskCompletionSource<MailDeliveryResult> _delivery = null!;

    [SetUp]
    public void CreateEngineWithAHeldMail()
    {
        _delivery = new TaskCompletionSource<MailDeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The global send_wait is long and the fake clock never moves: only the client's 0 s lets the reply go.
        _engine = CreateEngine(new HeldMailSender(_delivery.Task), EmailTokenSettings.Default with { SendWait = TimeSpan.FromSeconds(30) });
    }

    // Runs before the base class's teardown closes the store: the held delivery must finish and record first.
    [TearDown]
    public async Task ReleaseTheMailAsync()
    {
        _delivery.TrySetResult(new MailDeliveryResult(true, "outbox", "<1@test>", "250 OK", null, TimeSpan.Zero));
        await _engine.DrainAsync(CancellationToken.None);
    }

    [Test]
    public async Task A_client_send_wait_of_zero_lets_the_challenge_go_before_the_mail_is_delivered()
    {
        var handler = new OtpAccessRequestHandler(_engine, NullLogger.Instance);

        var response = await handler.HandleAsync(PinStep(DateTimeOffset.MaxValue, clientSendWait: TimeSpan.Zero), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(response!.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(_delivery.Task.IsCompleted, Is.False, "the mail was still on its way");
    }

    private sealed class HeldMailSender(Task<MailDeliveryResult> delivery) : IOtpMailSender
    {
        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken) => delivery;
    }
}
