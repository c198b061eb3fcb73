namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The BlastRADIUS (CVE-2024-3596) settings <c>require_message_authenticator</c> and <c>limit_proxy_state</c>:
/// yes, no, or auto (learn from the client's first Access-Request).
/// </summary>
public enum BlastRadiusPolicy
{
    Yes,
    No,
    Auto,
}
