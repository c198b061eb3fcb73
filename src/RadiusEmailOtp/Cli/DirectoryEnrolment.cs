using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Ldap;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>token enroll</c> without <c>--email</c>: the user must be found in a directory resolver of the realm (in the realm
/// map's order, as a login would find them); the token then has no fixed address and each mail goes to the directory's
/// current one.
/// </summary>
internal static class DirectoryEnrolment
{
    /// <summary>The resolver that knows the user, and the address it holds now (null when none).</summary>
    public static async Task<(string Resolver, string? Email)> FindAsync(AppConfig config, string user, string realm)
    {
        var entry = config.Realms.FirstOrDefault(r => RealmResolver.NormaliseRealm(r.Realm) == realm);
        var directories = (entry?.Resolvers ?? [])
            .Select(name => config.Resolvers.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
            .OfType<LdapResolverSettings>()
            .ToList();
        if (directories.Count == 0)
        {
            throw new CommandLineException($"--email is required: realm \"{realm}\" has no directory resolver ([realms.\"{realm}\"] resolvers)");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var settings in directories)
        {
            using var resolver = new LdapUserResolver(settings, new StderrWarningLogger("token enroll"), TimeProvider.System);
            var found = await resolver.FindAsync(new UserIdentity(user, realm), timeout.Token);
            if (found.Status == UserLookupStatus.Unavailable)
            {
                throw new CommandLineException($"resolver \"{settings.Name}\" could not be asked (see the warnings above); nothing enrolled");
            }

            if (found.Status == UserLookupStatus.Found)
            {
                return (settings.Name, found.User!.Email);
            }
        }

        throw new CommandLineException(
            $"user \"{user}\" not found in the directory of realm \"{realm}\" (resolvers {string.Join(", ", directories.Select(d => d.Name))}); give --email for a user of the token table");
    }
}
