using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Infrastructure.Ldap;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// The user resolvers of one configuration: an <see cref="LdapUserResolver"/> (with its connection pool) per
/// <c>[[resolver]]</c> that a realm names, the token table as <c>local</c>, and the realm map over them. A reload builds
/// new ones and closes the old ones once the last request using them is done, as it does the mail providers.
/// </summary>
internal sealed class DirectoryServices : IDisposable
{
    private readonly List<LdapUserResolver> _ldap;

    private DirectoryServices(UserDirectory? users, List<LdapUserResolver> ldap)
    {
        Users = users;
        _ldap = ldap;
    }

    /// <summary>The realm map; null when no realm names a resolver (every user is a user of the token table).</summary>
    public UserDirectory? Users { get; }

    public static DirectoryServices Create(AppConfig config, IOtpStore store, TokenProtector protector, ILoggerFactory loggerFactory, TimeProvider time)
    {
        if (config.Realms.Count == 0)
        {
            return new DirectoryServices(null, []);
        }

        var local = new LocalUserResolver(store, protector);
        var ldap = new List<LdapUserResolver>();
        var byName = new Dictionary<string, IUserResolver>(StringComparer.OrdinalIgnoreCase) { [local.Name] = local };
        var logger = loggerFactory.CreateLogger<LdapUserResolver>();
        foreach (var settings in config.Resolvers)
        {
            // Only the resolvers a realm uses open connections; the others are for `resolver test` and check-config.
            if (config.Realms.Any(r => r.Resolvers.Contains(settings.Name, StringComparer.OrdinalIgnoreCase)))
            {
                var resolver = new LdapUserResolver(settings, logger, time);
                ldap.Add(resolver);
                byName[settings.Name] = resolver;
            }
        }

        // The loader has checked that every name a realm lists is a resolver (or local).
        var realms = config.Realms.ToDictionary(
            r => r.Realm,
            r => (IReadOnlyList<IUserResolver>)[.. r.Resolvers.Count == 0 ? [local] : r.Resolvers.Select(n => byName[n])]);
        return new DirectoryServices(new UserDirectory(local, realms), ldap);
    }

    /// <summary>The engine's configuration for <paramref name="config"/>: settings, realms, providers, policies and resolvers.</summary>
    public EngineConfiguration EngineConfiguration(AppConfig config, EmailServices email) =>
        new(config.EmailToken, config.Realm, email.Sender, email.Selector)
        {
            Users = Users,
            RealmEntries = config.Realms,
        };

    public void Dispose()
    {
        foreach (var resolver in _ldap)
        {
            resolver.Dispose();
        }
    }
}
