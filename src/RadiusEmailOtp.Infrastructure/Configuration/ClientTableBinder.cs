using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// Binds all clients (the <c>[[client]]</c> tables, then an imported clients.conf) and checks them as a set:
/// names unique, one network once (an identical repeat is a warning, a conflicting one an error).
/// </summary>
public static class ClientTableBinder
{
    /// <summary>The shortest shared secret that gets no warning (characters).</summary>
    public const int MinimumSecretLength = 12;

    public static IReadOnlyList<ClientSettings> Bind(IReadOnlyList<ConfigSection> sections, ServerSettings server, ConfigDictionary dictionary, ConfigDiagnostics diagnostics)
    {
        var candidates = new List<(ClientSettings Client, int Line, string File)>();
        var secretLines = new Dictionary<ClientSettings, int>(ReferenceEqualityComparer.Instance);
        foreach (var section in sections)
        {
            if (ClientSettingsBinder.Bind(section, server, dictionary) is { } client)
            {
                candidates.Add((client, section.Line, diagnostics.File));
                secretLines[client] = (section.Table["secret"] ?? section.Table["secret_file"] ?? section.Table["secret_env"])?.Line ?? section.Line;
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
            WarnAboutWeakSecret(client, secretLines.GetValueOrDefault(client, line), file, diagnostics);
        }

        return clients;
    }

    /// <summary>
    /// A guessable shared secret lets anyone on the path forge replies and read passwords. Clients entirely inside
    /// loopback (tests, radtest on the host) are exempt. The message never contains the secret.
    /// </summary>
    private static void WarnAboutWeakSecret(ClientSettings client, int line, string file, ConfigDiagnostics diagnostics)
    {
        if (IsLoopbackOnly(client.Network))
        {
            return;
        }

        string? problem = null;
        if (client.Secret.AsSpan().SequenceEqual("testing123"u8))
        {
            problem = "the shared secret is the well-known example secret of FreeRADIUS";
        }
        else if (Encoding.UTF8.GetCharCount(client.Secret) < MinimumSecretLength)
        {
            problem = $"the shared secret is shorter than {MinimumSecretLength} characters";
        }

        if (problem is not null)
        {
            diagnostics.Add(new ConfigDiagnostic(
                file,
                line,
                false,
                $"client \"{client.Name}\" ({client.Network}): {problem}; use a long random one (e.g. openssl rand -base64 24) for a client outside loopback"));
        }
    }

    private static bool IsLoopbackOnly(System.Net.IPNetwork network) =>
        network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
            ? network.PrefixLength == 128 && network.BaseAddress.Equals(IPAddress.IPv6Loopback)
            : network.PrefixLength >= 8 && network.BaseAddress.GetAddressBytes()[0] == 127;

    private static bool SameSettings(ClientSettings a, ClientSettings b) =>
        a.Network == b.Network
        && CryptographicOperations.FixedTimeEquals(a.Secret, b.Secret)
        && a.ChallengeMode == b.ChallengeMode
        && a.SendWait == b.SendWait
        && a.ReplyAttributes.SequenceEqual(b.ReplyAttributes, StringComparer.Ordinal)
        && a.RequireMessageAuthenticator == b.RequireMessageAuthenticator
        && a.LimitProxyState == b.LimitProxyState;
}
