namespace RadiusEmailOtp.Otp.Users;

/// <summary>The answer of a lookup: the user when <see cref="Status"/> is <see cref="UserLookupStatus.Found"/>.</summary>
public sealed record UserLookupResult(UserLookupStatus Status, ResolvedUser? User)
{
    public static UserLookupResult NotFound { get; } = new(UserLookupStatus.NotFound, null);

    public static UserLookupResult Unavailable { get; } = new(UserLookupStatus.Unavailable, null);

    public static UserLookupResult Found(ResolvedUser user) => new(UserLookupStatus.Found, user);
}
