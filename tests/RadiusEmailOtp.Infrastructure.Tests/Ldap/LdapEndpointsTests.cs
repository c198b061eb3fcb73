using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Ldap;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

public sealed class LdapEndpointsTests
{
    private static readonly LdapUri s_first = new(true, "dc1.example.com", 636);
    private static readonly LdapUri s_second = new(false, "dc2.example.com", 389);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void Live_uris_are_tried_in_the_configured_order()
    {
        var endpoints = new LdapEndpoints([s_first, s_second], _time);

        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_first, s_second }));
    }

    [Test]
    public void A_dead_uri_is_skipped_for_30_seconds()
    {
        var endpoints = new LdapEndpoints([s_first, s_second], _time);
        endpoints.MarkDead(s_first);

        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_first, s_second }));
    }

    [Test]
    public void When_all_are_dead_one_request_probes_the_first_to_fail_and_the_others_get_none()
    {
        var endpoints = new LdapEndpoints([s_first, s_second], _time);
        endpoints.MarkDead(s_second);
        _time.Advance(TimeSpan.FromSeconds(1));
        endpoints.MarkDead(s_first);

        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }));
        Assert.That(endpoints.Order(), Is.Empty);
        endpoints.ReleaseProbe(s_second);
        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }));
        endpoints.MarkAlive(s_second);
        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }));
        Assert.That(endpoints.Order(), Is.EqualTo(new[] { s_second }), "alive again: no probe slot needed");
    }

    [TestCase("ldap://dc1.example.com", false, "dc1.example.com", 389)]
    [TestCase("ldaps://dc1.example.com", true, "dc1.example.com", 636)]
    [TestCase("LDAPS://DC1.example.com:3269/", true, "dc1.example.com", 3269)]
    [TestCase("ldap://[::1]:10389", false, "::1", 10389)]
    public void Uris_are_parsed_with_the_default_ports(string text, bool ldaps, string host, int port)
    {
        Assert.That(LdapUri.TryParse(text, out var uri, out var error), Is.True, error);
        Assert.That(uri, Is.EqualTo(new LdapUri(ldaps, host, port)));
    }
}
