using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Ldap;

namespace RadiusEmailOtp.Cli;

/// <summary><c>check-config --connect</c>: each LDAP resolver binds with its service account and reads base_dn once.</summary>
internal static class ResolverConnectCheck
{
    public static async Task<bool> RunAsync(AppConfig config)
    {
        var ok = true;
        foreach (var settings in config.Resolvers)
        {
            // Warnings are not printed here: the result line names every URI that failed and why.
            using var resolver = new LdapUserResolver(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var problem = await resolver.TestConnectionAsync(timeout.Token);
            if (problem is null)
            {
                Console.Out.WriteLine($"resolver {settings.Name}: OK (bound as {settings.BindDn ?? "anonymous"}, read {settings.BaseDn})");
            }
            else
            {
                Console.Error.WriteLine($"{config.Path}: error: resolver {settings.Name}: {problem}");
                ok = false;
            }
        }

        return ok;
    }
}
