using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>
/// Issue 7 item 7: a connection that ends after the final "." leaves the mail's fate unknown (the server may have queued
/// it). That is neither a failure to fail over from nor an accepted mail.
/// </summary>
public sealed class AmbiguousDeliveryTests
{
    private static readonly ProviderTimeout s_timeout = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

    [Test]
    public async Task A_connection_dropped_after_the_final_dot_is_an_unknown_outcome()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.DropAfterFinalDot);
        await using var provider = new SmtpEmailProvider("test", Smtp(server.Port), s_timeout, NullLogger.Instance);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Unknown), result.Error);
        Assert.That(server.Messages, Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_dropped_before_the_data_stays_a_transient_failure()
    {
        await using var server = new ScriptedSmtpServer(ScriptedBehaviour.DropAfterData);
        await using var provider = new SmtpEmailProvider("test", Smtp(server.Port), s_timeout, NullLogger.Instance);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Transient));
    }

    [Test]
    public async Task An_unknown_outcome_is_not_sent_again_through_the_next_provider()
    {
        await using var dropping = new ScriptedSmtpServer(ScriptedBehaviour.DropAfterFinalDot);
        await using var live = new InProcessSmtpServer();
        var providers = new[]
        {
            Provider("first", dropping.Port) with { IsDefault = true },
            Provider("second", live.Port),
        };
        await using var services = EmailServices.Create(providers, [], new EmailSettings("."), NullLoggerFactory.Instance, TimeProvider.System);

        var result = await services.Sender.SendAsync(OtpMailComposerTests.Request(), new EmailRoute(["first", "second"]), CancellationToken.None);

        Assert.That(result.Accepted, Is.False);
        Assert.That(result.Unknown, Is.True);
        Assert.That(result.Provider, Is.EqualTo("first"));
        Assert.That(dropping.Messages, Is.EqualTo(1));
        Assert.That(live.Messages, Is.Empty, "a second copy would give the user two codes");
    }

    private static SmtpProviderSettings Smtp(int port) =>
        new("127.0.0.1", port, false, false, null, null, null, null, null, true, false, 1, SmtpProviderSettings.DefaultMaxMessagesPerSession);

    private static EmailProviderSettings Provider(string name, int port) => new(
        name, EmailProviderKind.Smtp, false, s_timeout, "otp@example.com", "Your OTP", null, Smtp(port), null, 1);
}
