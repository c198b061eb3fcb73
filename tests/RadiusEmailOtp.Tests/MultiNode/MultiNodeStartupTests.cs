using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// A node whose database is unreachable at start: it binds and answers (Status-Server, and Access-Reject for every login,
/// with one warning line), and once PostgreSQL answers it migrates, checks the key and serves logins. Without a key file
/// it cannot know whether the database has one, so it stops with one line.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MultiNodeStartupTests
{
    private const string Pin = "4711";

    [Test]
    public async Task A_node_started_with_the_database_down_rejects_then_serves_once_it_is_up()
    {
        Radclient.RequireInstalled();
        var cluster = await PostgresCluster.GetAsync();
        await using var forwarder = new TcpForwarder(cluster.Port);
        await using var deployment = await MultiNodeDeployment.CreateAsync(2, portOf: node => node == 1 ? forwarder.Port : cluster.Port);
        await deployment.EnrollAsync("alice", Pin);

        // ServerProcess.StartAsync returns once Status-Server is answered: the database being down did not stop it.
        var node = await deployment.StartAsync(1);
        for (var i = 0; i < 3; i++)
        {
            var reject = await deployment.AuthAsync(1, "alice", Pin);
            Assert.That(reject.ReplyCode, Is.EqualTo("Access-Reject"), reject + node.Output);
        }

        Assert.That(node.Output, Does.Contain("Login incorrect (store unavailable)"));
        Assert.That(CountLines(node.Output, "store unavailable: "), Is.EqualTo(1), "one warning a minute, not one per request\n" + node.Output);
        Assert.That(node.Output, Does.Not.Contain(PostgresCluster.Password), "the password is never logged");
        Assert.That(deployment.Outbox.Count, Is.Zero);

        forwarder.Start();
        Assert.That(await node.WaitForOutputAsync("store available again", TimeSpan.FromSeconds(30)), Is.True, node.Output);
        var challenge = await deployment.AuthAsync(1, "alice", Pin);
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + node.Output);
        var otp = await deployment.Outbox.WaitForOtpAsync(1);
        var accept = await deployment.AuthAsync(1, "alice", otp, challenge.Attribute("State"));
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept + node.Output);
    }

    [Test]
    public async Task The_database_going_away_mid_flight_is_a_reject_and_the_login_goes_on_once_it_is_back()
    {
        Radclient.RequireInstalled();
        var cluster = await PostgresCluster.GetAsync();
        await using var forwarder = new TcpForwarder(cluster.Port);
        forwarder.Start();
        await using var deployment = await MultiNodeDeployment.CreateAsync(2, portOf: node => node == 1 ? forwarder.Port : cluster.Port);
        await deployment.EnrollAsync("alice", Pin);
        await deployment.StartAllAsync();
        var node = deployment.Server(1);
        var first = await deployment.AuthAsync(1, "alice", Pin);
        Assert.That(first.ReplyCode, Is.EqualTo("Access-Challenge"), first + node.Output);
        var accept = await deployment.AuthAsync(1, "alice", await deployment.Outbox.WaitForOtpAsync(1), first.Attribute("State"));
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept + node.Output);

        // Node B's database connections are cut and new ones refused: its pooled connection fails, the one retry too.
        await forwarder.StopAsync();
        var reject = await deployment.AuthAsync(1, "alice", Pin);
        Assert.That(reject.ReplyCode, Is.EqualTo("Access-Reject"), "a reject, not silence\n" + reject + node.Output);
        Assert.That(node.Output, Does.Contain("store unavailable: "));
        Assert.That(node.HasExited, Is.False);

        // The NAS's other server still reaches the database and mails; once node B's database is back it takes the answer.
        var challenge = await deployment.AuthAsync(0, "alice", Pin);
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + deployment.Output);
        var otp = await deployment.Outbox.WaitForOtpAsync(2);
        forwarder.Start();
        var answer = await deployment.AuthAsync(1, "alice", otp, challenge.Attribute("State"));
        Assert.That(answer.ReplyCode, Is.EqualTo("Access-Accept"), answer + node.Output);
        Assert.That(await node.WaitForOutputAsync("store available again", TimeSpan.FromSeconds(5)), Is.True, node.Output);
    }

    [Test]
    public async Task A_node_without_its_key_and_without_the_database_does_not_start()
    {
        Radclient.RequireInstalled();
        var cluster = await PostgresCluster.GetAsync();
        await using var forwarder = new TcpForwarder(cluster.Port);
        await using var deployment = await MultiNodeDeployment.CreateAsync(1, portOf: _ => forwarder.Port);
        using var server = ServerProcess.Launch(deployment.ConfigPath(0), deployment.EndPoints[0]);
        Assert.That(await server.WaitForOutputAsync("does not exist", TimeSpan.FromSeconds(30)), Is.True, server.Output);
        for (var i = 0; i < 100 && !server.HasExited; i++)
        {
            await Task.Delay(100);
        }

        Assert.That(server.HasExited, Is.True, server.Output);
        Assert.That(server.Output, Does.Contain("copy encryption.key from another node"));
        Assert.That(server.Output, Does.Not.Contain(PostgresCluster.Password));
    }

    private static int CountLines(string output, string text) => output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
