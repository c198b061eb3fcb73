using System.Net;
using System.Net.Sockets;

namespace RadiusEmailOtp.Radius.Clients;

/// <summary>Maps IPv4 and IPv6 networks to values and finds the longest prefix holding an address; reads may run concurrently once filled.</summary>
/// <typeparam name="T">The value stored per network.</typeparam>
public sealed class IpPrefixTable<T>
{
    // One hash table per prefix length, tried from the longest populated length down: at most 33 / 129 probes,
    // in practice a handful, each O(1), whatever the insertion order.
    private readonly Dictionary<uint, (IPNetwork Network, T Value)>?[] _v4 = new Dictionary<uint, (IPNetwork, T)>?[33];
    private readonly Dictionary<UInt128, (IPNetwork Network, T Value)>?[] _v6 = new Dictionary<UInt128, (IPNetwork, T)>?[129];
    private int[] _v4Lengths = [];
    private int[] _v6Lengths = [];

    /// <summary>The number of networks in the table.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a network; returns false when exactly that network is already present.</summary>
    public bool TryAdd(IPNetwork network, T value)
    {
        var prefix = network.PrefixLength;
        var address = network.BaseAddress;
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            // ::ffff:a.b.c.d/N is the IPv4 network a.b.c.d/(N-96) (RFC 4291 §2.5.5.2).
            address = address.MapToIPv4();
            prefix -= 96;
        }

        address = IpPrefix.Mask(address, prefix);
        var normalised = new IPNetwork(address, prefix);
        bool added;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var table = _v4[prefix] ??= [];
            added = table.TryAdd(IpPrefix.ToUInt32(address), (normalised, value));
            if (added && table.Count == 1)
            {
                _v4Lengths = Lengths(_v4);
            }
        }
        else
        {
            var table = _v6[prefix] ??= [];
            added = table.TryAdd(IpPrefix.ToUInt128(address), (normalised, value));
            if (added && table.Count == 1)
            {
                _v6Lengths = Lengths(_v6);
            }
        }

        if (added)
        {
            Count++;
        }

        return added;
    }

    /// <summary>Finds the longest-prefix network holding the address; an IPv4-mapped IPv6 address matches IPv4 networks.</summary>
    public bool TryMatch(IPAddress address, out IPNetwork network, out T value)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            // A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d.
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bits = IpPrefix.ToUInt32(address);
            foreach (var length in _v4Lengths)
            {
                if (_v4[length]!.TryGetValue(bits & IpPrefix.Mask32(length), out var entry))
                {
                    (network, value) = entry;
                    return true;
                }
            }
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bits = IpPrefix.ToUInt128(address);
            foreach (var length in _v6Lengths)
            {
                if (_v6[length]!.TryGetValue(bits & IpPrefix.Mask128(length), out var entry))
                {
                    (network, value) = entry;
                    return true;
                }
            }
        }

        network = default;
        value = default!;
        return false;
    }

    private static int[] Lengths<TKey>(Dictionary<TKey, (IPNetwork, T)>?[] tables)
        where TKey : notnull
    {
        var lengths = new List<int>();
        for (var length = tables.Length - 1; length >= 0; length--)
        {
            if (tables[length] is { Count: > 0 })
            {
                lengths.Add(length);
            }
        }

        return [.. lengths];
    }
}
