using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>behaviour.md §2 "Reply-Message": a prompt longer than one attribute holds (253 bytes, RFC 2865 §5) reaches the NAS whole.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LongPromptEndToEndTests
{
    private static readonly string s_filler = string.Concat(Enumerable.Repeat("Check your inbox, then your spam folder. ", 8));

    [Test]
    public async Task A_challenge_prompt_longer_than_253_bytes_arrives_as_several_reply_messages_in_order()
    {
        await using var server = await TestServer.StartAsync(TestServer.DefaultClients + $"""


            [email_token]
            challenge_prompt = "{s_filler}The code for ${"{user}"} went to ${"{email_masked}"} and is valid for ${"{validity}"} s."
            """);
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "1234");
        using var nas = new NasClient(server, "testing123");

        var reply = await nas.LoginAsync("alice", "1234");

        var expected = s_filler + "The code for alice went to a***e@example.com and is valid for 300 s.";
        Assert.That(expected.Length, Is.GreaterThan(253), "the prompt must need more than one attribute");
        Assert.That(reply.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        var parts = reply.FindAll(RadiusAttributeType.ReplyMessage).ToList();
        Assert.That(parts, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(parts.Select(p => p.Value.Length), Has.All.LessThanOrEqualTo(253));
        Assert.That(NasClient.ReplyMessage(reply), Is.EqualTo(expected));
    }
}
