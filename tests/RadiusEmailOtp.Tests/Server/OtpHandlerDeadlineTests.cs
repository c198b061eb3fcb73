using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>The request's answer time travels from the server through the handler into the engine, and "drop" comes back as no reply.</summary>
[TestFixture]
public sealed class OtpHandlerDeadlineTests : HandlerEngineTestBase
{
    private RecordingMailSender _mail = null!;
    private OtpAccessRequestHandler _handler = null!;

    [SetUp]
    public void CreateHandler()
    {
        _mail = new RecordingMailSender();
        _handler = new OtpAccessRequestHandler(CreateEngine(_mail, EmailTokenSettings.Default), NullLogger.Instance);
    }

    [Test]
    public async Task A_pin_step_whose_answer_time_has_passed_gets_no_reply_and_sends_no_mail()
    {
        var response = await _handler.HandleAsync(PinStep(answerBy: Time.GetUtcNow()), CancellationToken.None);

        Assert.That(response, Is.Null, "no reply: the server sheds it and a retransmit starts afresh");
        Assert.That(_mail.Sent, Is.Zero);
        Assert.That(await Storage.Store.ListChallengesAsync(null, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_pin_step_in_time_is_challenged_and_mailed()
    {
        var response = await _handler.HandleAsync(PinStep(answerBy: Time.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.That(response!.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        Assert.That(_mail.Sent, Is.EqualTo(1));
    }

    private sealed class RecordingMailSender : IOtpMailSender
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(new MailDeliveryResult(true, "outbox", "<1@test>", "250 OK", null, TimeSpan.Zero));
        }
    }
}
