namespace RadiusEmailOtp.Otp.Engine;

/// <summary>How the password is split into PIN and OTP (LinOTP <c>otppin</c>).</summary>
public enum OtpPinMode
{
    /// <summary>The token's own PIN triggers the challenge; PIN+OTP logs in.</summary>
    TokenPin,

    /// <summary>No PIN: an empty password triggers the challenge, the password is the bare OTP.</summary>
    OnlyOtp,

    /// <summary>Any password that is not an OTP answer triggers the challenge; a PIN prefix is not checked.</summary>
    IgnorePin,

    /// <summary>
    /// The fixed part is the user's directory password (LinOTP <c>password</c>, privacyIDEA <c>userstore</c>), checked with
    /// one bind; users of the <c>local</c> resolver keep their token PIN.
    /// </summary>
    Password,
}
