using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The whole validated configuration, frozen after loading.</summary>
public sealed record AppConfig(
    string Path,
    ServerSettings Server,
    IReadOnlyList<ClientSettings> Clients,
    IReadOnlyList<EmailProviderSettings> EmailProviders,
    IReadOnlyList<Otp.Policies.EmailPolicy> Policies,
    EmailSettings Email,
    RealmSettings Realm,
    EmailTokenSettings EmailToken)
{
    /// <summary>The <c>[[resolver]]</c> entries of type ldap (the local resolver is always there and not listed).</summary>
    public IReadOnlyList<Ldap.LdapResolverSettings> Resolvers { get; init; } = [];

    /// <summary>
    /// The <c>[realms."NAME"]</c> tables: each realm's resolvers in order and its own otppin (issue 9). Realm names are
    /// normalised and unique; every entry has at least one resolver. A realm without an entry uses <c>local</c>.
    /// </summary>
    public IReadOnlyList<RealmEntry> Realms { get; init; } = [];

    /// <summary>The <c>[log]</c> table: format and destination of the log lines.</summary>
    public LogSettings Log { get; init; } = LogSettings.Default;

    /// <summary>The <c>[metrics]</c> table: the Prometheus endpoint, off by default.</summary>
    public MetricsSettings Metrics { get; init; } = MetricsSettings.Off;

    /// <summary>The <c>[store]</c> table: SQLite in data_dir (the default) or a shared PostgreSQL database.</summary>
    public StoreSettings Store { get; init; } = StoreSettings.Sqlite;
}
