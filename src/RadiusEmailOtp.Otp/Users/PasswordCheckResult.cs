namespace RadiusEmailOtp.Otp.Users;

/// <summary>The outcome of one password check against a resolver.</summary>
public enum PasswordCheckResult
{
    /// <summary>The password is the user's.</summary>
    Ok,

    /// <summary>The store answered: not the user's password (or an empty one, which is never tried).</summary>
    Wrong,

    /// <summary>The store could not be asked; the caller fails closed without counting a wrong password.</summary>
    Unavailable,
}
