using System.Text;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Metrics;

/// <summary>
/// Status-Server with FreeRADIUS-Statistics-Type (vendor 11344) is answered with the FreeRADIUS-Total-* counters, as
/// FreeRADIUS's status server does; radclient decodes them with Debian's FreeRADIUS dictionary.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class StatusServerStatisticsTests
{
    private const string Secret = "testing123";
    private const string FreeRadiusDictionaryDir = "/usr/share/freeradius";

    [Test]
    public async Task Authentication_statistics_count_requests_and_rejects()
    {
        RequireFreeRadiusDictionary();
        await using var server = await TestServer.StartAsync(serverKeys: "reject_delay = 0\nlisten_acct = [\"127.0.0.1:1813\"]");
        using (var client = new RawRadiusClient(server.EndPoint))
        {
            Assert.That(await client.ExchangeAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), Secret, "alice", "1234")), Is.Not.Null);
            await client.ExchangeAsync(new byte[10], 0.2); // malformed: dropped and counted
        }

        var result = await Radclient.RunAsync(
            server.EndPoint, "status", Secret, "Message-Authenticator = 0x00\nFreeRADIUS-Statistics-Type = All\n", extraArgs: ["-d", FreeRadiusDictionaryDir]);
        Assert.That(result.ReplyCode, Is.EqualTo("Access-Accept"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Access-Requests"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Access-Rejects"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Access-Accepts"), Is.EqualTo("0"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Auth-Responses"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Auth-Malformed-Requests"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Accounting-Requests"), Is.EqualTo("0"), result.ToString());
    }

    [Test]
    public async Task Accounting_statistics_on_the_acct_port_count_accounting_requests_only()
    {
        RequireFreeRadiusDictionary();
        await using var server = await TestServer.StartAsync(serverKeys: "reject_delay = 0\nlisten_acct = [\"127.0.0.1:1813\"]");
        var record = await Radclient.RunAsync(
            server.AcctEndPoint, "acct", Secret, "User-Name = \"alice\"\nAcct-Status-Type = Start\nAcct-Session-Id = \"s1\"\n");
        Assert.That(record.ReplyCode, Is.EqualTo("Accounting-Response"), record.ToString());

        var result = await Radclient.RunAsync(
            server.AcctEndPoint, "status", Secret, "Message-Authenticator = 0x00\nFreeRADIUS-Statistics-Type = Accounting\n", extraArgs: ["-d", FreeRadiusDictionaryDir]);
        Assert.That(result.ReplyCode, Is.EqualTo("Accounting-Response"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Accounting-Requests"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Accounting-Responses"), Is.EqualTo("1"), result.ToString());
        Assert.That(result.Attribute("FreeRADIUS-Total-Access-Requests"), Is.Null, "only the statistics asked for");
    }

    [Test]
    public async Task Status_server_without_a_statistics_type_gets_a_bare_access_accept()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new RawRadiusClient(server.EndPoint);
        var request = new RadiusPacketBuilder(RadiusCode.StatusServer, 3)
            .BuildRequest(RawRadiusClient.NewAuthenticator(), Encoding.UTF8.GetBytes(Secret), withMessageAuthenticator: true);
        var reply = await client.ExchangeAsync(request);
        Assert.That(RadiusPacketReader.TryRead(reply, 200, out var packet), Is.EqualTo(RadiusDropReason.None));
        Assert.That(packet!.Code, Is.EqualTo(RadiusCode.AccessAccept));
        Assert.That(packet.Attributes.Select(a => a.Type), Is.EqualTo(new[] { RadiusAttributeType.MessageAuthenticator }));
    }

    private static void RequireFreeRadiusDictionary()
    {
        Radclient.RequireInstalled();
        if (!File.Exists(Path.Combine(FreeRadiusDictionaryDir, "dictionary.freeradius")))
        {
            const string message = "Debian's FreeRADIUS dictionary is missing (apt-get install freeradius-common)";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }
    }
}
