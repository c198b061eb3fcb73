using System.Security.Cryptography;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Binds all clients and checks them as a set: names unique, one network once (identical twice is a warning).</summary>
public static class ClientTableBinder
{
    public static IReadOnlyList<ClientSettings> Bind(IReadOnlyList<ConfigSection> sections, ServerSettings server, ConfigDiagnostics diagnostics)
    {
        var clients = new List<ClientSettings>();
        var byNetwork = new Dictionary<System.Net.IPNetwork, ClientSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var client = ClientSettingsBinder.Bind(section, server);
            if (client is null)
            {
                continue;
            }

            if (!names.Add(client.Name))
            {
                diagnostics.Error(section.Line, $"{section.Name}: a client named \"{client.Name}\" is already defined");
                continue;
            }

            if (byNetwork.TryGetValue(client.Network, out var earlier))
            {
                if (CryptographicOperations.FixedTimeEquals(earlier.Secret, client.Secret) && earlier.ChallengeMode == client.ChallengeMode)
                {
                    diagnostics.Warning(section.Line, $"{section.Name}: {client.Network} repeats client \"{earlier.Name}\" ({earlier.Source}); ignored");
                }
                else
                {
                    diagnostics.Error(section.Line, $"{section.Name}: {client.Network} is already client \"{earlier.Name}\" ({earlier.Source}) with other settings");
                }

                continue;
            }

            byNetwork.Add(client.Network, client);
            clients.Add(client);
        }

        return clients;
    }
}
