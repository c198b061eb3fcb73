using MimeKit;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>One configured way to deliver a finished mail (SMTP server, pickup directory).</summary>
public interface IEmailProvider
{
    string Name { get; }

    /// <summary>Delivers <paramref name="message"/>; failures come back as a classified result, not as exceptions.</summary>
    Task<ProviderSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
