using System.Net;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.EndToEnd;

/// <summary>
/// <c>backup</c> as a second process beside a running <c>serve</c> that commits a challenge per login: the copy holds
/// everything committed before it began (a <c>cp</c> of the WAL-mode file would not), and restores into a fresh data_dir.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BackupEndToEndTests
{
    private const string Secret = "testing123";
    private const int Users = 2;

    // Below max_mails_per_window for every token, so each Access-Challenge is a new committed challenge.
    private const int MaxRequests = 1_500;

    [Test]
    public async Task A_backup_beside_a_server_handling_logins_restores_every_challenge_committed_before_it()
    {
        using var directory = new TempDirectory();
        var endPoint = new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort());
        var config = WriteConfig(directory, "config.toml", "data", endPoint);
        var backup = directory.Combine("backup.db");
        for (var i = 0; i < Users; i++)
        {
            await TokenCli.EnrollAsync(config, $"user{i}", $"user{i}@example.com", $"pin-{i}x");
        }

        int challengedBeforeBackup, challengedAfterBackup;
        using (var server = await ServerProcess.StartAsync(config, endPoint, Secret))
        {
            using var stop = new CancellationTokenSource();
            var challenged = 0;
            var logins = Task.Run(async () =>
            {
                using var client = new RawRadiusClient(endPoint);
                for (var i = 0; i < MaxRequests && !stop.IsCancellationRequested; i++)
                {
                    var request = RawRadiusClient.AccessRequest((byte)i, RawRadiusClient.NewAuthenticator(), Secret, $"user{i % Users}", $"pin-{i % Users}x");
                    if (await client.ExchangeAsync(request, timeoutSeconds: 2) is { Length: > 0 } reply && reply[0] == (byte)RadiusCode.AccessChallenge)
                    {
                        Interlocked.Increment(ref challenged);
                    }

                    await Task.Delay(5, CancellationToken.None); // paced, so the requests outlast the backup
                }
            });
            await WaitUntilAsync(() => Volatile.Read(ref challenged) >= 20 || logins.IsCompleted);
            challengedBeforeBackup = Volatile.Read(ref challenged);

            var (exit, stdout, stderr) = await CliProcess.RunAsync(directory.Path, "backup", "--to", backup, "--config", config);

            challengedAfterBackup = Volatile.Read(ref challenged);
            await WaitUntilAsync(() => Volatile.Read(ref challenged) >= challengedAfterBackup + 10 || logins.IsCompleted);
            await stop.CancelAsync();
            await logins;
            Assert.That(exit, Is.EqualTo(0), stderr);
            Assert.That(stdout, Does.Contain($"backed up {Users} tokens"));
            Assert.That(await server.TerminateAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), server.Output);
        }

        var restoredConfig = WriteConfig(directory, "restored.toml", "restored", endPoint);
        var (restoreExit, restored, restoreError) = await CliProcess.RunAsync(directory.Path, "restore", "--from", backup, "--config", restoredConfig);

        Assert.That(restoreExit, Is.EqualTo(0), restoreError);
        Assert.That(restored, Does.Contain($"restored {Users} tokens"));
        Assert.That((await TokenCli.ListJsonAsync(restoredConfig)).GetArrayLength(), Is.EqualTo(Users));
        var copied = CountChallenges(directory.Combine("restored/radius-email-otp.db"));
        Assert.That(copied, Is.GreaterThanOrEqualTo(challengedBeforeBackup), "every challenge committed before the backup is in it");
        Assert.That(copied, Is.LessThan(CountChallenges(directory.Combine("data/radius-email-otp.db"))), "the copy is a snapshot");
    }

    private static long CountChallenges(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM challenges;";
        return (long)command.ExecuteScalar()!;
    }

    // Bounded: a server that stops answering fails the test instead of hanging it.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }

    // blocking_timeout = 0 and the mail limit at its maximum: every PIN request opens a challenge (a committed counter
    // advance and row).
    private static string WriteConfig(TempDirectory directory, string name, string dataDir, IPEndPoint endPoint)
    {
        var path = directory.Combine(name);
        File.WriteAllText(path, $"""
            [server]
            listen = ["127.0.0.1:{endPoint.Port}"]
            dictionary = "{RepoPaths.Dictionary}"
            data_dir = "{directory.Combine(dataDir)}"
            reject_delay = 0

            [[client]]
            name = "localhost"
            ipaddr = "127.0.0.1"
            secret = "{Secret}"

            [email_token]
            blocking_timeout = 0
            max_mails_per_window = 1000
            max_fail = 100000
            """);
        return path;
    }
}
