using System.Security.Cryptography;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Binds all clients (the <c>[[client]]</c> tables, then an imported clients.conf) and checks them as a set:
/// names unique, one network once (an identical repeat is a warning, a conflicting one an error).
/// </summary>
public static class ClientTableBinder
{
    public static IReadOnlyList<ClientSettings> Bind(IReadOnlyList<ConfigSection> sections, ServerSettings server, ConfigDiagnostics diagnostics)
    {
        var candidates = new List<(ClientSettings Client, int Line, string File)>();
        foreach (var section in sections)
        {
            if (ClientSettingsBinder.Bind(section, server) is { } client)
            {
                candidates.Add((client, section.Line, diagnostics.File));
            }
        }

        if (server.ClientsConf is { } clientsConf)
        {
            candidates.AddRange(ClientsConfImporter.Import(clientsConf, server, diagnostics));
        }

        var clients = new List<ClientSettings>();
        var byNetwork = new Dictionary<System.Net.IPNetwork, ClientSettings>();
        var byName = new Dictionary<string, ClientSettings>(StringComparer.Ordinal);
        foreach (var (client, line, file) in candidates)
        {
            var earlier = byName.GetValueOrDefault(client.Name) ?? byNetwork.GetValueOrDefault(client.Network);
            if (earlier is not null)
            {
                // The same client twice (e.g. in [[client]] and in clients.conf) is harmless; anything else is ambiguous.
                var identical = SameSettings(earlier, client);
                var what = earlier.Name == client.Name ? $"client \"{client.Name}\" is defined twice" : $"client \"{client.Name}\": {client.Network} is already client \"{earlier.Name}\"";
                var message = identical
                    ? $"{what} with the same settings ({earlier.Source}); ignored"
                    : $"{what} with other settings ({earlier.Source})";
                diagnostics.Add(new ConfigDiagnostic(file, line, !identical, message));
                continue;
            }

            byNetwork.Add(client.Network, client);
            byName.Add(client.Name, client);
            clients.Add(client);
        }

        return clients;
    }

    private static bool SameSettings(ClientSettings a, ClientSettings b) =>
        a.Network == b.Network
        && CryptographicOperations.FixedTimeEquals(a.Secret, b.Secret)
        && a.ChallengeMode == b.ChallengeMode
        && a.SendWait == b.SendWait
        && a.RequireMessageAuthenticator == b.RequireMessageAuthenticator
        && a.LimitProxyState == b.LimitProxyState;
}
