using System.Net;

namespace RadiusEmailOtp.Otp.Email;

/// <summary>What the engine asks to be mailed: one OTP for one token. The OTP is a secret: never log this record.</summary>
public sealed record OtpMailRequest(
    string Serial,
    string User,
    string Realm,
    string Email,
    string Otp,
    TimeSpan Validity,
    IPAddress? Client);
