namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>A validated <c>[[resolver]]</c> of <c>type = "ldap"</c> (issue 9).</summary>
public sealed record LdapResolverSettings(
    string Name,
    IReadOnlyList<LdapUri> Uris,
    bool StartTls,
    string? CaFile,
    bool TlsVerify,
    string? BindDn,
    LdapSecret? BindPassword,
    string BaseDn,
    IReadOnlyList<string> LoginAttributes,
    string SearchFilter,
    string EmailAttribute,
    TimeSpan ConnectTimeout,
    TimeSpan ResponseTimeout,
    TimeSpan CacheDuration)
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(5);

    public const int DefaultCacheSeconds = 120;

    public const string DefaultSearchFilter = "(objectClass=*)";

    /// <summary>How long a URI that failed is skipped (issue 9: 30 s).</summary>
    public static TimeSpan DeadTime { get; } = TimeSpan.FromSeconds(30);
}
