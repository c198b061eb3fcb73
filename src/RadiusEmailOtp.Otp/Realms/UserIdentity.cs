namespace RadiusEmailOtp.Otp.Realms;

/// <summary>A user name split into user and realm, normalised the way tokens are stored.</summary>
public sealed record UserIdentity(string User, string Realm)
{
    public override string ToString() => $"{User}@{Realm}";
}
