using NUnit.Framework;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// Two <c>serve</c> processes on one PostgreSQL database, driven with radclient as a NAS with a primary and a secondary
/// server would: a challenge is answerable on the other node, an OTP is accepted once across nodes, and the blocking
/// window and the single mail hold across nodes.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MultiNodeLoginTests
{
    private const string Pin = "4711";

    [Test]
    public async Task A_challenge_from_node_a_is_answered_on_node_b()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2);
        await deployment.EnrollAsync("alice", Pin);
        await deployment.StartAllAsync();

        var challenge = await deployment.AuthAsync(0, "alice", Pin);
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + deployment.Output);
        var otp = await deployment.Outbox.WaitForOtpAsync(1);
        var answer = await deployment.AuthAsync(1, "alice", otp, challenge.Attribute("State"));
        Assert.That(answer.ReplyCode, Is.EqualTo("Access-Accept"), answer + deployment.Output);
        Assert.That(await deployment.QueryAsync<string>("SELECT node FROM challenges"), Is.EqualTo("node-a"), "the challenge row names the node that created it");
    }

    [Test]
    public async Task The_same_otp_sent_to_both_nodes_at_once_is_accepted_once()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2);
        await deployment.EnrollAsync("alice", Pin);
        await deployment.StartAllAsync();

        for (var round = 1; round <= 3; round++)
        {
            var challenge = await deployment.AuthAsync(round % 2, "alice", Pin);
            Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + deployment.Output);
            var otp = await deployment.Outbox.WaitForOtpAsync(round);
            var state = challenge.Attribute("State");
            var answers = await Task.WhenAll(deployment.AuthAsync(0, "alice", otp, state), deployment.AuthAsync(1, "alice", otp, state));
            Assert.That(answers.Count(a => a.ReplyCode == "Access-Accept"), Is.EqualTo(1), string.Join("\n", answers.Select(a => a.ToString())) + deployment.Output);
            Assert.That(answers.Count(a => a.ReplyCode == "Access-Reject"), Is.EqualTo(1), "the other node rejects the spent OTP");
        }
    }

    [Test]
    public async Task The_blocking_window_holds_across_nodes()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2, "blocking_timeout = 60");
        await deployment.EnrollAsync("alice", Pin);
        await deployment.StartAllAsync();

        var first = await deployment.AuthAsync(0, "alice", Pin);
        Assert.That(first.ReplyCode, Is.EqualTo("Access-Challenge"), first + deployment.Output);
        await deployment.Outbox.WaitForMailAsync(1);
        var second = await deployment.AuthAsync(1, "alice", Pin);
        Assert.That(second.ReplyCode, Is.EqualTo("Access-Challenge"), second + deployment.Output);
        Assert.That(second.Attribute("State"), Is.EqualTo(first.Attribute("State")), "node B answers with node A's open challenge");
        await Task.Delay(300);
        Assert.That(deployment.Outbox.Count, Is.EqualTo(1), "no second mail inside the blocking window");
        Assert.That(deployment.Server(1).Output, Does.Contain("already sent").IgnoreCase.Or.Contain("Challenge repeated").IgnoreCase.Or.Contain("blocking").IgnoreCase);
    }

    [Test]
    public async Task Pins_for_one_user_sent_to_both_nodes_at_once_send_one_mail_and_the_same_state()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2, "blocking_timeout = 60");
        await deployment.EnrollAsync("alice", Pin);
        await deployment.StartAllAsync();

        var answers = await Task.WhenAll(deployment.AuthAsync(0, "alice", Pin), deployment.AuthAsync(1, "alice", Pin));
        var all = string.Join("\n", answers.Select(a => a.ToString())) + deployment.Output;
        Assert.That(answers.Select(a => a.ReplyCode), Is.All.EqualTo("Access-Challenge"), all);
        Assert.That(answers[1].Attribute("State"), Is.EqualTo(answers[0].Attribute("State")), all);
        var otp = await deployment.Outbox.WaitForOtpAsync(1);
        await Task.Delay(500);
        Assert.That(deployment.Outbox.Count, Is.EqualTo(1), "one mail for two nodes");
        Assert.That(await deployment.QueryAsync<long>("SELECT COUNT(*) FROM challenges"), Is.EqualTo(1));
        var accept = await deployment.AuthAsync(1, "alice", otp, answers[0].Attribute("State"));
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept + deployment.Output);
    }
}
