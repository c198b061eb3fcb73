using System.Net;
using System.Text;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>The client table across a reload: swapped whole, and what was learned about a client kept only while its settings hold.</summary>
[TestFixture]
public sealed class ClientRegistryTests
{
    private static readonly IPAddress s_nas = IPAddress.Parse("10.0.0.1");

    [Test]
    public void Replace_swaps_the_table_for_new_lookups_while_an_old_lookup_keeps_its_client()
    {
        var registry = new ClientRegistry([Client("vpn", "10.0.0.0/24", "old-secret")]);
        var before = registry.Find(s_nas)!;

        registry.Replace([Client("vpn", "10.0.0.0/24", "new-secret"), Client("wifi", "10.0.1.0/24", "wifi-secret")]);

        Assert.That(Encoding.UTF8.GetString(before.Settings.Secret), Is.EqualTo("old-secret"), "a request in progress keeps the secret it arrived under");
        Assert.That(Encoding.UTF8.GetString(registry.Find(s_nas)!.Settings.Secret), Is.EqualTo("new-secret"));
        Assert.That(registry.Find(IPAddress.Parse("10.0.1.9"))!.Name, Is.EqualTo("wifi"));
        Assert.That(registry.Count, Is.EqualTo(2));

        registry.Replace([Client("wifi", "10.0.1.0/24", "wifi-secret")]);
        Assert.That(registry.Find(s_nas), Is.Null, "a removed client is unknown from now on");
    }

    [Test]
    public void An_unchanged_client_keeps_its_learned_blastradius_decision_a_new_secret_relearns()
    {
        var registry = new ClientRegistry([Client("vpn", "10.0.0.0/24", "secret-one", challengeMode: ChallengeMode.Challenge)]);
        registry.Find(s_nas)!.RequiresMessageAuthenticator(s_nas, requestHasMa: false, requestHasEap: false, out var learned);
        Assert.That(learned, Is.True);

        // Only the challenge mode changes: the device is the same, its decision stays.
        registry.Replace([Client("vpn", "10.0.0.0/24", "secret-one", challengeMode: ChallengeMode.Reject)]);
        var same = registry.Find(s_nas)!;
        Assert.That(same.Settings.ChallengeMode, Is.EqualTo(ChallengeMode.Reject));
        Assert.That(same.RequiresMessageAuthenticator(s_nas, requestHasMa: true, requestHasEap: false, out learned), Is.False, "still learned \"no\"");
        Assert.That(learned, Is.False);

        registry.Replace([Client("vpn", "10.0.0.0/24", "secret-two", challengeMode: ChallengeMode.Reject)]);
        Assert.That(registry.Find(s_nas)!.RequiresMessageAuthenticator(s_nas, requestHasMa: true, requestHasEap: false, out learned), Is.True);
        Assert.That(learned, Is.True, "a new secret may be a new device: it learns afresh");
    }

    private static ClientSettings Client(string name, string network, string secret, ChallengeMode challengeMode = ChallengeMode.Challenge) =>
        new(name, IPNetwork.Parse(network), Encoding.UTF8.GetBytes(secret), BlastRadiusPolicy.Auto, BlastRadiusPolicy.Auto, challengeMode, "test:1");
}
