using System.Net;
using System.Security.Cryptography;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Radius.Clients;

namespace RadiusEmailOtp.Server;

/// <summary>
/// Finds the client of a source address by longest prefix (RFC-independent, as FreeRADIUS does). A reload swaps the
/// whole table at once (<see cref="Replace"/>); a request keeps the <see cref="RuntimeClient"/> it was looked up with,
/// so it is answered with the secret it arrived under.
/// </summary>
internal sealed class ClientRegistry
{
    private Table _current;

    public ClientRegistry(IEnumerable<ClientSettings> clients)
    {
        _current = Table.Build(clients, previous: null);
    }

    public int Count => Volatile.Read(ref _current).Count;

    public RuntimeClient? Find(IPAddress address) => Volatile.Read(ref _current).Find(address);

    /// <summary>
    /// Replaces the table for new requests. A client whose network, secret and BlastRADIUS settings are unchanged keeps
    /// what was learned about it (require_message_authenticator / limit_proxy_state <c>auto</c>); a client with a new
    /// secret starts afresh, as it may be a new device.
    /// </summary>
    public void Replace(IEnumerable<ClientSettings> clients)
    {
        var next = Table.Build(clients, Volatile.Read(ref _current));
        Volatile.Write(ref _current, next);
    }

    /// <summary>Whether a client's learned BlastRADIUS state is still valid under <paramref name="next"/>.</summary>
    internal static bool KeepsLearnedState(ClientSettings previous, ClientSettings next) =>
        previous.Network.Equals(next.Network)
        && previous.RequireMessageAuthenticator == next.RequireMessageAuthenticator
        && previous.LimitProxyState == next.LimitProxyState
        && previous.Secret.Length == next.Secret.Length
        && CryptographicOperations.FixedTimeEquals(previous.Secret, next.Secret);

    private sealed class Table
    {
        private readonly IpPrefixTable<RuntimeClient> _byPrefix = new();
        private readonly Dictionary<IPNetwork, RuntimeClient> _byNetwork = [];

        public int Count => _byNetwork.Count;

        public static Table Build(IEnumerable<ClientSettings> clients, Table? previous)
        {
            var table = new Table();
            foreach (var client in clients)
            {
                var old = previous?._byNetwork.GetValueOrDefault(client.Network);
                var runtime = old is not null && KeepsLearnedState(old.Settings, client) ? new RuntimeClient(client, old) : new RuntimeClient(client);

                // Duplicates were rejected or merged while binding the configuration.
                if (table._byPrefix.TryAdd(client.Network, runtime))
                {
                    table._byNetwork[client.Network] = runtime;
                }
            }

            return table;
        }

        public RuntimeClient? Find(IPAddress address) => _byPrefix.TryMatch(address, out _, out var client) ? client : null;
    }
}
