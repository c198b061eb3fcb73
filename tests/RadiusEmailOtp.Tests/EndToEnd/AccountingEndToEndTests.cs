using NUnit.Framework;
using System.Text;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>The accounting port (RFC 2866, RFC 5997) against FreeRADIUS's radclient and a raw socket client.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AccountingEndToEndTests
{
    private const byte AcctStatusType = 40;
    private const byte AcctSessionId = 44;
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("testing123");

    private static Task<TestServer> StartAsync(string serverKeys = "") =>
        TestServer.StartAsync(serverKeys: "reject_delay = 0\nlisten_acct = [\"127.0.0.1:1813\"]\n" + serverKeys);

    private static string Record(string status, string session) => $"""
        User-Name = "alice"
        Acct-Status-Type = {status}
        Acct-Session-Id = "{session}"
        NAS-IP-Address = 192.0.2.7
        NAS-Port = 5
        Framed-IP-Address = 10.0.0.9
        Acct-Input-Octets = 1234
        Acct-Session-Time = 60
        Event-Timestamp = 1764590000

        """;

    [Test]
    public async Task Radclient_start_and_stop_get_accounting_response_and_a_log_line_each()
    {
        await using var server = await StartAsync();
        var start = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Start", "0123"));
        Assert.That(start.ReplyCode, Is.EqualTo("Accounting-Response"), start.ToString());
        Assert.That(start.ExitCode, Is.Zero, start.ToString());
        var stop = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Stop", "0123"));
        Assert.That(stop.ReplyCode, Is.EqualTo("Accounting-Response"), stop.ToString());
        Assert.That(stop.ExitCode, Is.Zero, stop.ToString());
        Assert.That(server.Log.Text, Does.Contain("Accounting Start: [alice] session 0123 (from client localhost port 5 nas 192.0.2.7)"));
        Assert.That(server.Log.Text, Does.Contain("Accounting Stop: [alice] session 0123 (from client localhost port 5 nas 192.0.2.7)"));
        Assert.That(server.Log.Text, Does.Contain("Listening on acct address 127.0.0.1 port " + server.AcctEndPoint.Port));
    }

    [Test]
    public async Task Radclient_accounting_request_with_message_authenticator_is_verified_and_answered()
    {
        await using var server = await StartAsync();
        var result = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Start", "ma-1") + "Message-Authenticator = 0x00\n");
        Assert.That(result.ReplyCode, Is.EqualTo("Accounting-Response"), result.ToString());
        Assert.That(server.Log.Text, Does.Contain("Accounting Start: [alice] session ma-1"));
    }

    [Test]
    public async Task Radclient_interim_update_is_logged()
    {
        await using var server = await StartAsync();
        var result = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Interim-Update", "77"));
        Assert.That(result.ReplyCode, Is.EqualTo("Accounting-Response"), result.ToString());
        Assert.That(server.Log.Text, Does.Contain("Accounting Interim-Update: [alice] session 77"));
    }

    [Test]
    public async Task Accounting_response_has_a_valid_authenticator_and_echoes_proxy_state()
    {
        await using var server = await StartAsync();
        using var client = new RawRadiusClient(server.AcctEndPoint);
        var request = AccountingRequest(9, b => b.Add(RadiusAttributeType.ProxyState, [1, 2, 3]));
        var reply = await client.ExchangeAsync(request);
        Assert.That(reply, Is.Not.Null);
        Assert.That(ResponseAuthenticator.Verify(reply, request.AsSpan(4, 16), s_secret), Is.True);
        Assert.That(RadiusPacketReader.TryRead(reply, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccountingResponse));
        Assert.That(packet.Identifier, Is.EqualTo(9));
        Assert.That(packet.Find(RadiusAttributeType.ProxyState)!.Value.Value.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(packet.Has(RadiusAttributeType.MessageAuthenticator), Is.False);
    }

    [Test]
    public async Task A_retransmitted_accounting_request_gets_the_identical_reply_and_one_log_line()
    {
        await using var server = await StartAsync();
        using var client = new RawRadiusClient(server.AcctEndPoint);
        var request = AccountingRequest(3);
        var first = await client.ExchangeAsync(request);
        var second = await client.ExchangeAsync(request);
        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(server.Host.Counters.Duplicates, Is.EqualTo(1));
        Assert.That(server.Log.Lines.Count(l => l.Contains("Accounting Start: [bob] session s-1", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Radclient_status_server_on_the_acct_port_gets_accounting_response()
    {
        await using var server = await StartAsync();
        var result = await Radclient.RunAsync(server.AcctEndPoint, "status", "testing123", "Message-Authenticator = 0x00\n");
        Assert.That(result.ReplyCode, Is.EqualTo("Accounting-Response"), result.ToString());
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task Status_server_reply_on_the_acct_port_is_signed()
    {
        await using var server = await StartAsync();
        using var client = new RawRadiusClient(server.AcctEndPoint);
        var authenticator = RawRadiusClient.NewAuthenticator();
        var request = new RadiusPacketBuilder(RadiusCode.StatusServer, 4).BuildRequest(authenticator, s_secret, withMessageAuthenticator: true);
        var reply = await client.ExchangeAsync(request);
        Assert.That(reply, Is.Not.Null);
        RadiusPacketReader.TryRead(reply, 200, out var packet);
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccountingResponse));
        Assert.That(MessageAuthenticator.VerifyReply(reply, authenticator, s_secret), Is.True);
        Assert.That(ResponseAuthenticator.Verify(reply, authenticator, s_secret), Is.True);
    }

    [Test]
    public async Task Accounting_request_with_a_wrong_secret_gets_no_reply()
    {
        await using var server = await StartAsync();
        var result = await Radclient.RunAsync(server.AcctEndPoint, "acct", "wrongsecret", Record("Start", "9"), timeoutSeconds: 1, retries: 1);
        Assert.That(result.ReplyCode, Is.Null, result.ToString());
        Assert.That(server.Host.Counters.DroppedFor("invalid Request Authenticator (is the shared secret right?)"), Is.GreaterThanOrEqualTo(1));
        Assert.That(server.Log.Text, Does.Not.Contain("Accounting Start"));
    }

    [Test]
    public async Task Access_request_on_the_acct_port_and_accounting_request_on_the_auth_port_are_dropped()
    {
        await using var server = await StartAsync();
        using (var acct = new RawRadiusClient(server.AcctEndPoint))
        {
            var reply = await acct.ExchangeAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"), timeoutSeconds: 0.5);
            Assert.That(reply, Is.Null);
        }

        using (var auth = new RawRadiusClient(server.EndPoint))
        {
            Assert.That(await auth.ExchangeAsync(AccountingRequest(2), timeoutSeconds: 0.5), Is.Null);
        }

        Assert.That(server.Host.Counters.DroppedFor("AccessRequest is not valid on the acct port"), Is.EqualTo(1));
        Assert.That(server.Host.Counters.DroppedFor("AccountingRequest is not valid on the auth port"), Is.EqualTo(1));
    }

    [Test]
    public async Task Acct_log_gets_one_detail_record_per_request()
    {
        using var directory = new TempDirectory();
        var detail = directory.Combine("detail");
        await using var server = await StartAsync($"acct_log = \"{detail}\"");
        var start = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Start", "0123"));
        Assert.That(start.ReplyCode, Is.EqualTo("Accounting-Response"), start.ToString());
        var stop = await Radclient.RunAsync(server.AcctEndPoint, "acct", "testing123", Record("Stop", "0123"));
        Assert.That(stop.ReplyCode, Is.EqualTo("Accounting-Response"), stop.ToString());

        var records = File.ReadAllText(detail).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(records, Has.Length.EqualTo(2));
        var lines = records[0].Split('\n');
        Assert.That(lines[0], Does.Match(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$"));
        Assert.That(lines.Skip(1), Has.All.StartWith("\t"));
        Assert.That(lines, Does.Contain("\tUser-Name = \"alice\""));
        Assert.That(lines, Does.Contain("\tAcct-Status-Type = Start"));
        Assert.That(lines, Does.Contain("\tAcct-Session-Id = \"0123\""));
        Assert.That(lines, Does.Contain("\tNAS-IP-Address = 192.0.2.7"));
        Assert.That(lines, Does.Contain("\tNAS-Port = 5"));
        Assert.That(lines, Does.Contain("\tFramed-IP-Address = 10.0.0.9"));
        Assert.That(lines, Does.Contain("\tAcct-Input-Octets = 1234"));
        Assert.That(lines, Does.Contain("\tAcct-Session-Time = 60"));
        Assert.That(lines, Does.Contain("\tEvent-Timestamp = \"Dec  1 2025 11:53:20 UTC\""));
        Assert.That(lines, Does.Contain("\tPacket-Src-IP-Address = 127.0.0.1"));
        Assert.That(lines.Last(), Does.Match(@"^\tTimestamp = \d+$"));
        Assert.That(records[1], Does.Contain("\tAcct-Status-Type = Stop"));
    }

    private static byte[] AccountingRequest(byte id, Action<RadiusPacketBuilder>? more = null)
    {
        var builder = new RadiusPacketBuilder(RadiusCode.AccountingRequest, id)
            .AddString(RadiusAttributeType.UserName, "bob")
            .AddUInt32(AcctStatusType, 1)
            .AddString(AcctSessionId, "s-1")
            .AddUInt32(RadiusAttributeType.NasPort, 1);
        more?.Invoke(builder);
        return builder.BuildAccountingStyleRequest(s_secret);
    }
}
