using System.Net;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Radius.Clients;

namespace RadiusEmailOtp.Server;

/// <summary>Finds the client of a source address by longest prefix (RFC-independent, as FreeRADIUS does).</summary>
internal sealed class ClientRegistry
{
    private readonly IpPrefixTable<RuntimeClient> _table = new();

    public ClientRegistry(IEnumerable<ClientSettings> clients)
    {
        foreach (var client in clients)
        {
            // Duplicates were rejected or merged while binding the configuration.
            _table.TryAdd(client.Network, new RuntimeClient(client));
            Count++;
        }
    }

    public int Count { get; }

    public RuntimeClient? Find(IPAddress address) =>
        _table.TryMatch(address, out _, out var client) ? client : null;
}
