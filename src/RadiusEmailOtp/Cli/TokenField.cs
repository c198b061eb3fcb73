namespace RadiusEmailOtp.Cli;

/// <summary>A field of a new token: an option of <c>token enroll</c>, a column of <c>token import</c>.</summary>
internal enum TokenField
{
    User,
    Realm,
    Email,
    Pin,
    OtpLength,
    Hash,
    Description,
}
