using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Storage;

/// <summary>The detail text of audit records, the same for every store: <c>user=alice realm=example.com email=alice@example.com</c>.</summary>
public static class AuditDetail
{
    /// <summary>Who a token belongs to and where its mails go (never its PIN or seed).</summary>
    public static string Of(EmailToken token) => $"user={token.User} realm={token.Realm} email={token.Email}";

    /// <summary>Two details joined by a space, either of them possibly empty.</summary>
    public static string Join(string first, string second) =>
        first.Length == 0 ? second : second.Length == 0 ? first : $"{first} {second}";
}
