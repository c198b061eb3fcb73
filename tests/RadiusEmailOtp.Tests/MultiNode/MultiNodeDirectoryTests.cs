using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Ldap;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// Auto-enrolment across nodes: twenty concurrent first logins of one directory user, half to each node, enrol one token
/// (the database's unique index elects it), send one mail, and every login is challenged with the same State.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MultiNodeDirectoryTests
{
    private const int Logins = 20;

    [Test]
    public async Task Twenty_concurrent_first_logins_on_two_nodes_enrol_one_token_and_send_one_mail()
    {
        Radclient.RequireInstalled();
        await using var slapd = await SlapdServer.StartAsync();
        await using var deployment = await MultiNodeDeployment.CreateAsync(
            2,
            "otppin = \"password\"\nautoenroll = true\nblocking_timeout = 120",
            extraToml: slapd.CorpResolverToml());

        // No enrolment: node A's first start makes the key (the database has none yet), which then goes to node B.
        await deployment.StartAsync(0);
        deployment.DistributeKey();
        await deployment.StartAsync(1);

        var clients = Enumerable.Range(0, Logins).Select(i => new RawRadiusClient(deployment.EndPoints[i % 2])).ToList();
        (RadiusCode? Code, string? State)[] replies;
        try
        {
            replies = await Task.WhenAll(clients.Select((c, i) => LoginAsync(c, (byte)i)));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.That(replies.Select(r => r.Code), Has.All.EqualTo(RadiusCode.AccessChallenge), deployment.Output);
        Assert.That(replies.Select(r => r.State).Distinct().Count(), Is.EqualTo(1), "one challenge, one State, on both nodes");
        Assert.That(await deployment.QueryAsync<long>("SELECT COUNT(*) FROM tokens WHERE user_name = 'carol'"), Is.EqualTo(1));
        Assert.That(await deployment.QueryAsync<string>("SELECT origin FROM tokens WHERE user_name = 'carol'"), Is.EqualTo("autoenroll"));
        await deployment.Outbox.WaitForMailAsync(1);
        await Task.Delay(300);
        Assert.That(deployment.Outbox.Count, Is.EqualTo(1), "one mail for twenty logins on two nodes");
    }

    private static async Task<(RadiusCode? Code, string? State)> LoginAsync(RawRadiusClient client, byte id)
    {
        var request = RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), MultiNodeDeployment.Secret, "carol", "carol-password");
        var reply = await client.ExchangeAsync(request, timeoutSeconds: 8);
        if (reply is null || RadiusPacketReader.TryRead(reply, 200, out var packet) != RadiusDropReason.None)
        {
            return (null, null);
        }

        return (packet!.Code, packet.Find(RadiusAttributeType.State) is { } state ? Convert.ToHexString(state.Value.Span) : null);
    }
}
