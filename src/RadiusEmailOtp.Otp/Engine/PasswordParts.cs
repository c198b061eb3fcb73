using System.Text;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>Reading the parts of what a NAS sends: a State the engine could have issued, and trailing OTP digits.</summary>
internal static class PasswordParts
{
    public static List<(EmailToken Token, string Otp)> TrailingCodes(string password, IEnumerable<EmailToken> tokens) =>
        [.. tokens
            .Where(t => password.Length >= t.OtpLength && IsDigits(password.AsSpan(password.Length - t.OtpLength)))
            .Select(t => (t, password[^t.OtpLength..]))];

    public static bool TryDecodeState(ReadOnlySpan<byte> bytes, out string state)
    {
        state = string.Empty;
        if (bytes.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (b is < 0x21 or > 0x7e)
            {
                return false;
            }
        }

        state = Encoding.ASCII.GetString(bytes);
        return true;
    }

    public static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
