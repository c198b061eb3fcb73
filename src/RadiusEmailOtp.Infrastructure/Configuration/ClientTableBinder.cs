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
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (client, line, file) in candidates)
        {
            if (!names.Add(client.Name))
            {
                diagnostics.Add(new ConfigDiagnostic(file, line, true, $"client \"{client.Name}\" is defined twice"));
                continue;
            }

            if (byNetwork.TryGetValue(client.Network, out var earlier))
            {
                var identical = CryptographicOperations.FixedTimeEquals(earlier.Secret, client.Secret) && earlier.ChallengeMode == client.ChallengeMode;
                var message = identical
                    ? $"client \"{client.Name}\": {client.Network} repeats client \"{earlier.Name}\" ({earlier.Source}); ignored"
                    : $"client \"{client.Name}\": {client.Network} is already client \"{earlier.Name}\" ({earlier.Source}) with other settings";
                diagnostics.Add(new ConfigDiagnostic(file, line, !identical, message));
                continue;
            }

            byNetwork.Add(client.Network, client);
            clients.Add(client);
        }

        return clients;
    }
}
