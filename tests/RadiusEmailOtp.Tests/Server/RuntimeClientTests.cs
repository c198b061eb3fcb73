using NUnit.Framework;
using System.Net;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

[TestFixture]
public sealed class RuntimeClientTests
{
    private static readonly IPAddress s_one = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress s_two = IPAddress.Parse("10.0.0.2");

    [Test]
    public void Auto_learns_from_the_first_access_request_per_address()
    {
        var client = Client(BlastRadiusPolicy.Auto);
        Assert.That(client.RequiresMessageAuthenticator(s_one, requestHasMa: true, requestHasEap: false, out var learned), Is.True);
        Assert.That(learned, Is.True);
        Assert.That(client.RequiresMessageAuthenticator(s_one, requestHasMa: false, requestHasEap: false, out learned), Is.True, "learned yes stays yes");
        Assert.That(learned, Is.False);
        Assert.That(client.RequiresMessageAuthenticator(s_two, requestHasMa: false, requestHasEap: false, out learned), Is.False, "another address learns for itself");
        Assert.That(learned, Is.True);
    }

    [Test]
    public void Auto_is_not_decided_by_an_eap_request()
    {
        var client = Client(BlastRadiusPolicy.Auto);
        Assert.That(client.RequiresMessageAuthenticator(s_one, requestHasMa: true, requestHasEap: true, out var learned), Is.True);
        Assert.That(learned, Is.False, "an EAP request always carries Message-Authenticator and decides nothing");
        Assert.That(client.RequiresMessageAuthenticator(s_one, requestHasMa: false, requestHasEap: false, out learned), Is.False);
        Assert.That(learned, Is.True, "the first request without EAP decides");
        Assert.That(client.RequiresMessageAuthenticator(s_one, requestHasMa: true, requestHasEap: true, out learned), Is.False, "a later EAP request follows the decision");
        Assert.That(learned, Is.False);
    }

    [Test]
    public void Yes_and_no_are_fixed()
    {
        Assert.That(Client(BlastRadiusPolicy.Yes).RequiresMessageAuthenticator(s_one, false, false, out _), Is.True);
        Assert.That(Client(BlastRadiusPolicy.No).RequiresMessageAuthenticator(s_one, true, false, out _), Is.False);
    }

    [Test]
    public void Limit_proxy_state_auto_limits_a_client_whose_first_request_had_no_proxy_state()
    {
        var client = Client(BlastRadiusPolicy.Auto);
        Assert.That(client.LimitsProxyState(s_one, requestHasProxyState: false), Is.True);
        Assert.That(client.LimitsProxyState(s_one, requestHasProxyState: true), Is.True, "a NAS that later sends Proxy-State is being injected into");
    }

    [Test]
    public void Limit_proxy_state_auto_leaves_a_proxy_alone()
    {
        var client = Client(BlastRadiusPolicy.Auto);
        Assert.That(client.LimitsProxyState(s_two, requestHasProxyState: true), Is.False);
        Assert.That(client.LimitsProxyState(s_two, requestHasProxyState: false), Is.False);
    }

    private static RuntimeClient Client(BlastRadiusPolicy policy) =>
        new(new ClientSettings("nas", new IPNetwork(IPAddress.Parse("10.0.0.0"), 8), [1], policy, BlastRadiusPolicy.Auto, ChallengeMode.Challenge, "test:1"));
}
