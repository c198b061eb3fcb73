namespace RadiusEmailOtp.Otp.Realms;

/// <summary>The validated <c>[realm]</c> table: the realm of a bare user name and the user/realm separator.</summary>
public sealed record RealmSettings(string Default, string Separator)
{
    public static RealmSettings Defaults { get; } = new("example.com", "@");
}
