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
}
