using NUnit.Framework;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// The server process is SIGKILLed while logins are in flight and restarted on the same data directory: the database
/// opens cleanly, no OTP accepted before the kill is accepted again, the counter never goes back (no mailed OTP is
/// mailed again), and once the user logs in afresh no OTP mailed before the kill is accepted.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    private const string Secret = "testing123";
    private const int Users = 6;
    private const int RoundsPerUser = 40;
    private const int AcceptsBeforeKill = 12;
    private const int MailsBeforeKill = 25;

    [Test]
    public async Task Sigkill_during_a_burst_loses_no_accept_and_replays_no_otp_after_restart()
    {
        using var directory = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        var configPath = WriteConfig(directory, endPoint);
        var outbox = new Outbox(directory.Combine("data/outbox"));
        var mails = new OutboxMailIndex(outbox);

        var server = await ServerProcess.StartAsync(configPath, endPoint, Secret);
        var accepted = new ConcurrentBag<(string User, string Otp)>();
        int inFlightAtKill;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Users).Select(i => TokenCli.EnrollAsync(configPath, User(i), Email(i), Pin(i))));

            // Every user logs in again and again (PIN → mail → PIN+OTP) on their own socket, all at once.
            using var stop = new CancellationTokenSource();
            var chains = Enumerable.Range(0, Users).Select(i => Task.Run(() => LoginChainAsync(endPoint, i, mails, accepted, stop.Token))).ToArray();
            // Kill as soon as a mail lands past the threshold: its chain is about to answer it, the others are mid-request.
            for (var wait = 0; wait < 1500 && (accepted.Count < AcceptsBeforeKill || outbox.Count < MailsBeforeKill) && !chains.All(c => c.IsCompleted); wait++)
            {
                await Task.Delay(5);
            }

            await server.KillAsync();
            inFlightAtKill = chains.Count(c => !c.IsCompleted);
            await stop.CancelAsync();
            await Task.WhenAll(chains);
        }
        finally
        {
            server.Dispose();
        }

        var acceptedBeforeKill = accepted.ToList();
        var mailedBeforeKill = outbox.ReadAll();
        var unanswered = mailedBeforeKill.Count(m => !acceptedBeforeKill.Any(a => a.Otp == m.Otp && Email(a.User) == m.To));
        TestContext.Out.WriteLine(
            $"before the kill: {acceptedBeforeKill.Count} accepted, {mailedBeforeKill.Count} mailed ({unanswered} not accepted), {inFlightAtKill} logins in flight");
        Assert.That(acceptedBeforeKill, Has.Count.GreaterThanOrEqualTo(AcceptsBeforeKill), "the burst must have done real work before the kill");
        Assert.That(inFlightAtKill, Is.GreaterThan(0), "the kill must land while logins are in flight");

        using var restarted = await ServerProcess.StartAsync(configPath, endPoint, Secret);
        Assert.That(IntegrityCheck(directory.Combine("data/radius-email-otp.db")), Is.EqualTo("ok"));
        var tokens = await TokenCli.ListJsonAsync(configPath);
        Assert.That(tokens.GetArrayLength(), Is.EqualTo(Users));

        using var client = new RawRadiusClient(endPoint);
        byte id = 0;

        // An accept is committed before the Access-Accept leaves: none of them can be accepted a second time.
        foreach (var (user, otp) in acceptedBeforeKill)
        {
            var reply = await AuthAsync(client, id++, user, PinOf(user) + otp);
            Assert.That(reply, Is.EqualTo(RadiusCode.AccessReject), $"{user}: an OTP accepted before the kill was accepted again");
        }

        // A fresh login works, and its OTP is new: the counter was committed before each mail, so it never went back.
        for (var i = 0; i < Users; i++)
        {
            var before = outbox.Count;
            var (code, state) = await ChallengeAsync(client, id++, User(i), Pin(i));
            Assert.That(code, Is.EqualTo(RadiusCode.AccessChallenge), $"{User(i)}: a fresh PIN after the restart\n{restarted.Output}");
            var otp = await outbox.WaitForOtpAsync(before + 1);
            Assert.That(mailedBeforeKill.Where(m => m.To == Email(i)).Select(m => m.Otp), Has.No.Member(otp), $"{User(i)}: an OTP was mailed twice");
            var reply = await AuthAsync(client, id++, User(i), otp, state);
            Assert.That(reply, Is.EqualTo(RadiusCode.AccessAccept), $"{User(i)}: the fresh OTP with its State\n{restarted.Output}");
        }

        // That answer closed every older challenge: no mail written before the kill opens a session now.
        foreach (var (to, otp) in mailedBeforeKill)
        {
            var user = to.Split('@')[0];
            var reply = await AuthAsync(client, id++, user, PinOf(user) + otp);
            Assert.That(reply, Is.EqualTo(RadiusCode.AccessReject), $"{user}: an OTP mailed before the kill was accepted after the restart");
        }
    }

    private static async Task LoginChainAsync(
        IPEndPoint endPoint, int index, OutboxMailIndex mails, ConcurrentBag<(string User, string Otp)> accepted, CancellationToken cancellationToken)
    {
        using var client = new RawRadiusClient(endPoint);
        var user = User(index);
        byte id = 0;
        for (var round = 0; round < RoundsPerUser && !cancellationToken.IsCancellationRequested; round++)
        {
            var (code, _) = await ChallengeAsync(client, id++, user, Pin(index));
            if (code is null)
            {
                return; // the server is gone
            }

            if (code != RadiusCode.AccessChallenge)
            {
                continue;
            }

            var otp = await mails.NextOtpAsync(Email(index), cancellationToken);
            if (otp is null)
            {
                continue;
            }

            var reply = await AuthAsync(client, id++, user, Pin(index) + otp);
            if (reply is null)
            {
                return;
            }

            if (reply == RadiusCode.AccessAccept)
            {
                accepted.Add((user, otp));
            }
        }
    }

    private static async Task<(RadiusCode? Code, byte[]? State)> ChallengeAsync(RawRadiusClient client, byte id, string user, string password)
    {
        var reply = await client.ExchangeAsync(RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), Secret, user, password), timeoutSeconds: 2);
        if (reply is null || RadiusPacketReader.TryRead(reply, 200, out var packet) != RadiusDropReason.None)
        {
            return (null, null);
        }

        return (packet!.Code, packet.Find(RadiusAttributeType.State)?.Value.ToArray());
    }

    private static async Task<RadiusCode?> AuthAsync(RawRadiusClient client, byte id, string user, string password, byte[]? state = null)
    {
        var request = RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), Secret, user, password,
            more: state is null ? null : b => b.Add(RadiusAttributeType.State, state));
        var reply = await client.ExchangeAsync(request, timeoutSeconds: 2);
        return reply is { Length: > 0 } ? (RadiusCode)reply[0] : null;
    }

    private static string IntegrityCheck(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    private static string WriteConfig(TempDirectory directory, IPEndPoint endPoint)
    {
        // blocking_timeout = 1: the fresh login after the restart must get a new mail, not "already sent"; and each user
        // logs in again and again, past the default mail limit of 3 per 10 minutes.
        // max_fail and max_attempts_per_challenge high: the replays after the restart must be rejected because the
        // OTP is spent, not because a lock or the attempt limit closed things first.
        var path = directory.Combine("config.toml");
        File.WriteAllText(path, $"""
            [server]
            listen = ["127.0.0.1:{endPoint.Port}"]
            dictionary = "{RepoPaths.Dictionary}"
            data_dir = "{directory.Combine("data")}"
            reject_delay = 0

            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "{Secret}"

            [email_token]
            blocking_timeout = 1
            max_mails_per_window = 1000
            max_fail = 100000
            max_attempts_per_challenge = 1000
            """);
        return path;
    }

    private static string User(int index) => $"user{index}";

    private static string Email(int index) => $"user{index}@example.com";

    private static string Email(string user) => user + "@example.com";

    private static string Pin(int index) => $"pin-{index}x";

    private static string PinOf(string user) => Pin(int.Parse(user["user".Length..], System.Globalization.CultureInfo.InvariantCulture));
}
