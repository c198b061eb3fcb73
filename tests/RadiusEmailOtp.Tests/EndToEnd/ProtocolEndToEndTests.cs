using NUnit.Framework;
using System.Text;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>The RADIUS core against FreeRADIUS's radclient and a raw socket client, over real UDP on loopback.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProtocolEndToEndTests
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("testing123");

    [Test]
    public async Task Status_server_is_answered_by_radclient_with_access_accept()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Radclient.RunAsync(server.EndPoint, "status", "testing123", "Message-Authenticator = 0x00\n");
        Assert.That(result.ReplyCode, Is.EqualTo("Access-Accept"), result.ToString());
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task Status_server_reply_carries_message_authenticator_first()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var authenticator = RawRadiusClient.NewAuthenticator();
        var request = new RadiusPacketBuilder(RadiusCode.StatusServer, 7).BuildRequest(authenticator, s_secret, withMessageAuthenticator: true);
        var reply = await client.ExchangeAsync(request);
        Assert.That(reply, Is.Not.Null);
        Assert.That(RadiusPacketReader.TryRead(reply, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccessAccept));
        Assert.That(packet.Attributes[0].Type, Is.EqualTo(RadiusAttributeType.MessageAuthenticator));
        Assert.That(MessageAuthenticator.VerifyReply(reply, authenticator, s_secret), Is.True);
        Assert.That(ResponseAuthenticator.Verify(reply, authenticator, s_secret), Is.True);
    }

    [Test]
    public async Task Access_request_gets_access_reject_from_radclient()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Radclient.RunAsync(server.EndPoint, "auth", "testing123", "User-Name = \"alice\"\nUser-Password = \"1234\"\nMessage-Authenticator = 0x00\n");
        Assert.That(result.ReplyCode, Is.EqualTo("Access-Reject"), result.ToString());
    }

    [Test]
    public async Task Access_reject_has_a_valid_response_authenticator_and_message_authenticator_first()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var authenticator = RawRadiusClient.NewAuthenticator();
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(1, authenticator, "testing123", "alice", "1234"));
        Assert.That(reply, Is.Not.Null);
        Assert.That(ResponseAuthenticator.Verify(reply, authenticator, s_secret), Is.True);
        Assert.That(MessageAuthenticator.VerifyReply(reply, authenticator, s_secret), Is.True);
        RadiusPacketReader.TryRead(reply, 200, out var packet);
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccessReject));
        Assert.That(packet.Attributes[0].Type, Is.EqualTo(RadiusAttributeType.MessageAuthenticator));
    }

    [Test]
    public async Task Request_from_an_unknown_client_gets_no_reply_and_is_logged()
    {
        await using var server = await TestServer.StartAsync(extraToml: """
            [[client]]
            name = "other"
            ipaddr = "127.0.0.2"
            secret = "testing123"
            """);
        var result = await Radclient.RunAsync(server.EndPoint, "auth", "testing123", "User-Name = \"alice\"\nUser-Password = \"1234\"\nMessage-Authenticator = 0x00\n", timeoutSeconds: 1, retries: 1);
        Assert.That(result.ReplyCode, Is.Null, result.ToString());
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(server.Host.Counters.DroppedFor("unknown client"), Is.GreaterThanOrEqualTo(1));
        Assert.That(server.Log.Text, Does.Contain("Ignoring request to auth address 127.0.0.1 port").And.Contain("from unknown client 127.0.0.1 port"));
    }

    [Test]
    public async Task Request_with_a_bad_message_authenticator_gets_no_reply()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var authenticator = RawRadiusClient.NewAuthenticator();
        var request = RawRadiusClient.AccessRequest(2, authenticator, "testing123", "alice", "1234");
        request[^1] ^= 0x01; // one bit flipped after signing: the Message-Authenticator no longer matches
        var reply = await client.ExchangeAsync(request, timeoutSeconds: 1);
        Assert.That(reply, Is.Null);
        Assert.That(server.Host.Counters.TotalDropped, Is.EqualTo(1));
    }

    [Test]
    public async Task Radclient_with_the_wrong_secret_gets_no_reply()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Radclient.RunAsync(server.EndPoint, "auth", "wrong-secret", "User-Name = \"alice\"\nUser-Password = \"1234\"\nMessage-Authenticator = 0x00\n", timeoutSeconds: 1, retries: 1);
        Assert.That(result.ReplyCode, Is.Null, result.ToString());
        Assert.That(server.Log.Text, Does.Contain("invalid Message-Authenticator"));
    }

    [Test]
    public async Task Retransmitted_request_gets_the_identical_reply_bytes()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var request = RawRadiusClient.AccessRequest(3, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        var first = await client.ExchangeAsync(request);
        var second = await client.ExchangeAsync(request);
        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(server.Host.Counters.Duplicates, Is.EqualTo(1));
        Assert.That(server.Host.Counters.Rejects, Is.EqualTo(1), "the retransmit must not be processed again");
    }

    [Test]
    public async Task Same_identifier_with_a_new_authenticator_is_a_new_request()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        await client.ExchangeAsync(RawRadiusClient.AccessRequest(4, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await client.ExchangeAsync(RawRadiusClient.AccessRequest(4, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        Assert.That(server.Host.Counters.Rejects, Is.EqualTo(2));
        Assert.That(server.Host.Counters.Duplicates, Is.Zero);
    }

    [Test]
    public async Task Proxy_states_come_back_in_order_through_radclient()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Radclient.RunAsync(server.EndPoint, "auth", "testing123", "User-Name = \"alice\"\nUser-Password = \"1234\"\nProxy-State = 0x6f6e65\nProxy-State = 0x74776f\nMessage-Authenticator = 0x00\n");
        var proxyStates = result.Attributes.Where(a => a.Name == "Proxy-State").Select(a => a.Value).ToList();
        Assert.That(proxyStates, Is.EqualTo(new[] { "0x6f6e65", "0x74776f" }), result.ToString());
    }

    [Test]
    public async Task Proxy_states_are_the_last_attributes_of_the_reply_in_request_order()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var authenticator = RawRadiusClient.NewAuthenticator();
        var request = RawRadiusClient.AccessRequest(5, authenticator, "testing123", "alice", "1234", more: b => b
            .Add(RadiusAttributeType.ProxyState, "first"u8)
            .Add(RadiusAttributeType.ProxyState, "second"u8)
            .Add(RadiusAttributeType.ProxyState, "third"u8));
        var reply = await client.ExchangeAsync(request);
        RadiusPacketReader.TryRead(reply, 200, out var packet);
        var tail = packet!.Attributes.TakeLast(3).Select(a => Encoding.ASCII.GetString(a.Value.Span)).ToList();
        Assert.That(tail, Is.EqualTo(new[] { "first", "second", "third" }));
        Assert.That(packet.Attributes.Take(packet.Attributes.Count - 3).Any(a => a.Type == RadiusAttributeType.ProxyState), Is.False);
    }

    [Test]
    public async Task Access_request_without_message_authenticator_is_dropped_when_required()
    {
        await using var server = await TestServer.StartAsync(extraToml: """
            [[client]]
            name = "strict"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            require_message_authenticator = "yes"
            """);
        using var client = new RawRadiusClient(server.EndPoint);
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(6, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false), timeoutSeconds: 1);
        Assert.That(reply, Is.Null);
        Assert.That(server.Log.Text, Does.Contain("without Message-Authenticator"));
    }

    [Test]
    public async Task Auto_client_that_first_sends_message_authenticator_must_always_send_it()
    {
        await using var server = await TestServer.StartAsync(extraToml: """
            [[client]]
            name = "learner"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            require_message_authenticator = "auto"
            """);
        using var client = new RawRadiusClient(server.EndPoint);
        var withMa = await client.ExchangeAsync(RawRadiusClient.AccessRequest(7, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: true));
        var withoutMa = await client.ExchangeAsync(RawRadiusClient.AccessRequest(8, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false), timeoutSeconds: 1);
        Assert.That(withMa, Is.Not.Null);
        Assert.That(withoutMa, Is.Null);
        Assert.That(server.Log.Text, Does.Contain("require_message_authenticator = auto now means \"yes\""));
    }

    [Test]
    public async Task Auto_client_that_first_omits_message_authenticator_is_accepted_without_it_and_logged_loudly()
    {
        await using var server = await TestServer.StartAsync(extraToml: """
            [[client]]
            name = "legacy"
            ipaddr = "127.0.0.1"
            secret = "testing123"
            require_message_authenticator = "auto"
            limit_proxy_state = "no"
            """);
        using var client = new RawRadiusClient(server.EndPoint);
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(9, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false));
        Assert.That(reply, Is.Not.Null);
        Assert.That(server.Log.Text, Does.Contain("WITHOUT Message-Authenticator"));
    }

    [Test]
    public async Task Garbage_datagrams_are_dropped_and_counted_and_the_server_keeps_answering()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        await client.SendAsync([1, 2, 3]);
        await client.SendAsync(new byte[20]);
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(10, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        Assert.That(reply, Is.Not.Null);
        Assert.That(server.Host.Counters.TotalDropped, Is.EqualTo(2));
    }

    [Test]
    public async Task Reject_delay_holds_the_reject_without_holding_status_server()
    {
        await using var server = await TestServer.StartAsync(serverKeys: "reject_delay = 1");
        using var rejectClient = new RawRadiusClient(server.EndPoint);
        using var statusClient = new RawRadiusClient(server.EndPoint);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await rejectClient.SendAsync(RawRadiusClient.AccessRequest(11, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        var status = await statusClient.ExchangeAsync(new RadiusPacketBuilder(RadiusCode.StatusServer, 12).BuildRequest(RawRadiusClient.NewAuthenticator(), s_secret, true));
        var statusElapsed = started.Elapsed;
        var reject = await rejectClient.ReceiveAsync(TimeSpan.FromSeconds(3));
        var rejectElapsed = started.Elapsed;
        Assert.That(status, Is.Not.Null);
        Assert.That(reject, Is.Not.Null);
        Assert.That(statusElapsed, Is.LessThan(rejectElapsed), "the status reply must not wait for the delayed reject");
        Assert.That(rejectElapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)), "the reject leaves no earlier than reject_delay");
    }
}
