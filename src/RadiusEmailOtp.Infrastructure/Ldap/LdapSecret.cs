namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>The service account's password; prints as a placeholder so a logged settings record never shows it.</summary>
public sealed class LdapSecret(string value)
{
    public string Reveal() => value;

    public override string ToString() => "(secret)";
}
