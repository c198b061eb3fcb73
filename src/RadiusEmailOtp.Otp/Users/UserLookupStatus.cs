namespace RadiusEmailOtp.Otp.Users;

/// <summary>What a resolver could say about a login.</summary>
public enum UserLookupStatus
{
    /// <summary>The user exists; the result carries it.</summary>
    Found,

    /// <summary>The store answered and has no such user.</summary>
    NotFound,

    /// <summary>The store could not be asked (down, slow, TLS refused, service account refused).</summary>
    Unavailable,
}
