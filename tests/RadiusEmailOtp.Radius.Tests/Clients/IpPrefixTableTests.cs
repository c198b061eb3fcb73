using System.Net;
using NUnit.Framework;
using RadiusEmailOtp.Radius.Clients;

namespace RadiusEmailOtp.Radius.Tests.Clients;

/// <summary>Longest-prefix matching over IPv4 and IPv6 networks.</summary>
[TestFixture]
public sealed class IpPrefixTableTests
{
    private static string? Match(IpPrefixTable<string> table, string address) =>
        table.TryMatch(IPAddress.Parse(address), out _, out var value) ? value : null;

    [Test]
    public void Longest_prefix_wins_whatever_the_insertion_order()
    {
        string[] networks = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32"];
        foreach (var order in new[] { networks, networks.Reverse().ToArray(), [networks[2], networks[0], networks[3], networks[1]] })
        {
            var table = new IpPrefixTable<string>();
            foreach (var network in order)
            {
                Assert.That(table.TryAdd(IPNetwork.Parse(network), network), Is.True);
            }

            Assert.That(Match(table, "10.1.2.3"), Is.EqualTo("10.1.2.3/32"));
            Assert.That(Match(table, "10.1.2.4"), Is.EqualTo("10.1.0.0/16"));
            Assert.That(Match(table, "10.2.0.1"), Is.EqualTo("10.0.0.0/8"));
            Assert.That(Match(table, "192.0.2.1"), Is.EqualTo("0.0.0.0/0"));
        }
    }

    [Test]
    public void Ipv6_networks_match_by_longest_prefix()
    {
        var table = new IpPrefixTable<string>();
        table.TryAdd(IPNetwork.Parse("2001:db8::/32"), "wide");
        table.TryAdd(IPNetwork.Parse("2001:db8:1::/48"), "narrow");
        Assert.That(Match(table, "2001:db8:1::5"), Is.EqualTo("narrow"));
        Assert.That(Match(table, "2001:db8:2::5"), Is.EqualTo("wide"));
        Assert.That(Match(table, "2001:db9::1"), Is.Null);
        Assert.That(Match(table, "10.0.0.1"), Is.Null, "IPv6 entries never match IPv4 addresses");
    }

    [Test]
    public void Ipv4_mapped_ipv6_address_matches_ipv4_entries()
    {
        var table = new IpPrefixTable<string>();
        table.TryAdd(IPNetwork.Parse("192.0.2.0/24"), "v4");
        Assert.That(table.TryMatch(IPAddress.Parse("::ffff:192.0.2.10"), out var network, out var value), Is.True);
        Assert.That((network, value), Is.EqualTo((IPNetwork.Parse("192.0.2.0/24"), "v4")));
    }

    [Test]
    public void Exactly_the_same_network_cannot_be_added_twice()
    {
        var table = new IpPrefixTable<string>();
        Assert.That(table.TryAdd(IPNetwork.Parse("10.0.0.0/8"), "first"), Is.True);
        Assert.That(table.TryAdd(IPNetwork.Parse("10.0.0.0/8"), "second"), Is.False);
        Assert.That(table.TryAdd(IPNetwork.Parse("10.0.0.0/9"), "other length"), Is.True);
        Assert.That(Match(table, "10.200.0.1"), Is.EqualTo("first"));
        Assert.That(table.Count, Is.EqualTo(2));
    }

    [Test]
    public void Empty_table_matches_nothing()
    {
        var table = new IpPrefixTable<int>();
        Assert.That(table.TryMatch(IPAddress.Loopback, out _, out _), Is.False);
        Assert.That(table.TryMatch(IPAddress.IPv6Loopback, out _, out _), Is.False);
    }
}
