using System.Collections.Concurrent;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// Node A is SIGKILLed while users log in through both nodes (PIN on one, PIN+OTP on the other): no OTP is accepted twice,
/// node B goes on answering, and the restarted node A marks as interrupted only the pending deliveries it created itself.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MultiNodeCrashTests
{
    private const int Users = 4;
    private const int RoundsPerUser = 12;
    private const int AcceptsBeforeKill = 6;

    [Test]
    public async Task Killing_one_node_under_load_accepts_no_otp_twice_and_the_other_node_goes_on()
    {
        // Each user logs in again and again: past the blocking window and the default mail limit.
        await using var deployment = await MultiNodeDeployment.CreateAsync(
            2, "blocking_timeout = 1\nmax_mails_per_window = 1000\nmax_fail = 100000\nmax_attempts_per_challenge = 1000");
        for (var i = 0; i < Users; i++)
        {
            await deployment.EnrollAsync(User(i), Pin(i));
        }

        var probe = await deployment.EnrollAsync("probe", "9999");
        await deployment.StartAllAsync();
        var mails = new OutboxMailIndex(deployment.Outbox);
        var accepted = new ConcurrentBag<(string User, string Otp)>();
        using (var stop = new CancellationTokenSource())
        {
            var chains = Enumerable.Range(0, Users).Select(i => Task.Run(() => LoginChainAsync(deployment, i, mails, accepted, stop.Token))).ToArray();
            for (var wait = 0; wait < 2000 && accepted.Count < AcceptsBeforeKill && !chains.All(c => c.IsCompleted); wait++)
            {
                await Task.Delay(5);
            }

            await deployment.KillAsync(0);
            // The chains go on against node B alone until their rounds are done (bounded).
            await Task.WhenAll(chains).WaitAsync(TimeSpan.FromSeconds(120));
        }

        var acceptedList = accepted.ToList();
        TestContext.Out.WriteLine($"{acceptedList.Count} accepted, {deployment.Outbox.Count} mailed");
        Assert.That(acceptedList, Has.Count.GreaterThanOrEqualTo(AcceptsBeforeKill), "the load must have done real work");
        Assert.That(acceptedList.Select(a => a.Otp + a.User).Distinct().Count(), Is.EqualTo(acceptedList.Count), "an OTP was accepted twice");

        // Node B answers after the kill, and replays of every accepted OTP are rejected there.
        using var client = new RawRadiusClient(deployment.EndPoints[1]);
        byte id = 0;
        foreach (var (user, otp) in acceptedList)
        {
            var reply = await AuthAsync(client, id++, user, PinOf(user) + otp);
            Assert.That(reply, Is.EqualTo(RadiusCode.AccessReject), $"{user}: an accepted OTP was accepted again on node B\n{deployment.Output}");
        }

        // A delivery "pending" from each node, as a crash leaves them: the restarted node A marks only its own.
        foreach (var node in new[] { "node-a", "node-b" })
        {
            await deployment.ExecuteAsync($"""
                INSERT INTO challenges (state, serial, counter, user_name, realm, client, node, created_at, expires_at, status, attempts, delivery_status)
                SELECT 'probe-{node}', serial, {(node == "node-a" ? 900001 : 900002)}, user_name, realm, 'localhost', '{node}',
                       (extract(epoch FROM now()) * 1000)::bigint, (extract(epoch FROM now()) * 1000)::bigint + 600000, 'open', 0, 'pending'
                FROM tokens WHERE serial = '{probe}';
                """);
        }

        await deployment.StartAsync(0);
        Assert.That(await deployment.QueryAsync<string>("SELECT delivery_status FROM challenges WHERE state = 'probe-node-a'"), Is.EqualTo("interrupted"));
        Assert.That(await deployment.QueryAsync<string>("SELECT delivery_status FROM challenges WHERE state = 'probe-node-b'"), Is.EqualTo("pending"), "node A left node B's delivery alone");

        // The restarted node serves a fresh login whose OTP was never mailed before.
        var before = deployment.Outbox.ReadAll();
        var challenge = await deployment.AuthAsync(0, User(0), Pin(0));
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + deployment.Output);
        var fresh = await deployment.Outbox.WaitForOtpAsync(before.Count + 1);
        Assert.That(before.Where(m => m.To == MultiNodeDeployment.Email(User(0))).Select(m => m.Otp), Has.No.Member(fresh));
        var accept = await deployment.AuthAsync(1, User(0), fresh, challenge.Attribute("State"));
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept + deployment.Output);
    }

    // PIN on one node, PIN+OTP on the other, alternating; a node that does not answer (killed) is skipped from then on.
    private static async Task LoginChainAsync(
        MultiNodeDeployment deployment, int index, OutboxMailIndex mails, ConcurrentBag<(string User, string Otp)> accepted, CancellationToken cancellationToken)
    {
        using var a = new RawRadiusClient(deployment.EndPoints[0]);
        using var b = new RawRadiusClient(deployment.EndPoints[1]);
        var clients = new[] { a, b };
        var dead = new bool[2];
        var user = User(index);
        byte id = 0;
        for (var round = 0; round < RoundsPerUser && !cancellationToken.IsCancellationRequested; round++)
        {
            var first = dead[round % 2] ? 1 : round % 2;
            var second = dead[1 - first] ? first : 1 - first;
            var code = await AuthAsync(clients[first], id++, user, Pin(index));
            if (code is null)
            {
                dead[first] = true;
                continue;
            }

            if (code != RadiusCode.AccessChallenge)
            {
                continue;
            }

            var otp = await mails.NextOtpAsync(MultiNodeDeployment.Email(user), cancellationToken);
            if (otp is null)
            {
                continue;
            }

            var reply = await AuthAsync(clients[second], id++, user, Pin(index) + otp);
            if (reply is null)
            {
                dead[second] = true;
            }
            else if (reply == RadiusCode.AccessAccept)
            {
                accepted.Add((user, otp));
            }
        }
    }

    private static async Task<RadiusCode?> AuthAsync(RawRadiusClient client, byte id, string user, string password)
    {
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), MultiNodeDeployment.Secret, user, password), timeoutSeconds: 2);
        return reply is { Length: > 0 } ? (RadiusCode)reply[0] : null;
    }

    private static string User(int index) => $"user{index}";

    private static string Pin(int index) => $"{1000 + index}";

    private static string PinOf(string user) => Pin(int.Parse(user["user".Length..], System.Globalization.CultureInfo.InvariantCulture));
}
