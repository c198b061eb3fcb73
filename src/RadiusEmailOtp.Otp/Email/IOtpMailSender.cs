namespace RadiusEmailOtp.Otp.Email;

/// <summary>Renders and sends an OTP mail along a route, trying its providers in order until one accepts it.</summary>
public interface IOtpMailSender
{
    Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken);
}
