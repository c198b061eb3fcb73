using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>backup</c> and <c>restore</c>, in-process, against a data directory a "server" (a store of this test) writes to.</summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class BackupRestoreCommandTests : InProcessCliTest
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string Backup => Path.Combine(TempDir, "backup", "tokens.db");

    [SetUp]
    public void CreateBackupDirectory() => Directory.CreateDirectory(Path.GetDirectoryName(Backup)!);

    [Test]
    public async Task A_backup_taken_while_tokens_are_added_holds_its_reported_count_and_restores_to_it()
    {
        const int Seeded = 40;
        long backedUp;
        int total;
        using (var serverLock = DataDirLock.Acquire(DataDir))
        using (var server = await OtpStorage.OpenAsync(DataDir, TimeProvider.System, CancellationToken.None))
        {
            for (var i = 0; i < Seeded; i++)
            {
                await AddTokenAsync(server, $"seed{i}");
            }

            // The "server" keeps enrolling all through the backup, and for a while after it, so the copy must be a snapshot.
            using var stop = new CancellationTokenSource();
            var added = 0;
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
                {
                    await AddTokenAsync(server, $"load{i}");
                    Interlocked.Increment(ref added);
                }
            });
            await WaitUntilAsync(() => Volatile.Read(ref added) >= 10);

            var (code, stdout, stderr) = await RunAsync("backup", "--to", Backup);

            var afterBackup = Volatile.Read(ref added);
            await WaitUntilAsync(() => Volatile.Read(ref added) >= afterBackup + 10 || writer.IsCompleted);
            await stop.CancelAsync();
            await writer;
            Assert.That(code, Is.EqualTo(0), stderr);
            backedUp = long.Parse(BackedUpCount().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);
            total = Seeded + added;
            Assert.That(backedUp, Is.GreaterThanOrEqualTo(Seeded + 10), "everything committed before the backup began is in it");
            Assert.That(backedUp, Is.LessThan(total), "the copy is a snapshot, not the live file");
        }

        Assert.That(File.GetUnixFileMode(Backup), Is.EqualTo(OwnerOnly));
        Assert.That(File.GetUnixFileMode(Backup + ".key"), Is.EqualTo(OwnerOnly));
        var (restoreCode, restored, restoreError) = await RestoreAsync("--force");
        Assert.That(restoreCode, Is.EqualTo(0), restoreError);
        Assert.That(restored, Does.Contain($"restored {backedUp} tokens"));
        using var reopened = await OtpStorage.OpenExistingAsync(DataDir, TimeProvider.System, CancellationToken.None);
        Assert.That(await reopened.Store.ListTokensAsync(null, null, CancellationToken.None), Has.Count.EqualTo(backedUp));
        Assert.That(File.Exists(reopened.DatabasePath + "-journal"), Is.False);
    }

    [Test]
    public async Task The_copy_is_one_self_contained_file_that_opens_read_only_and_passes_the_integrity_check()
    {
        await EnrollAsync("alice");

        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));

        Assert.That(File.Exists(Backup + "-wal"), Is.False);
        using var connection = new SqliteConnection($"Data Source={Backup};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("ok"));
        command.CommandText = "PRAGMA journal_mode;";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("delete"));
        command.CommandText = "SELECT user_name FROM tokens;";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("alice"));
        Assert.That(File.ReadAllBytes(Backup + ".key"), Is.EqualTo(File.ReadAllBytes(Path.Combine(DataDir, "encryption.key"))));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(Backup)!).Select(Path.GetFileName), Is.EquivalentTo(new[] { "tokens.db", "tokens.db.key" }));
    }

    [Test]
    public async Task A_backup_does_not_overwrite_an_existing_file_unless_forced()
    {
        await EnrollAsync("alice");
        File.WriteAllText(Backup, "keep me");

        var (code, stdout, stderr) = await RunAsync("backup", "--to", Backup);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("already exists").And.Contain("--force"));
        Assert.That(File.ReadAllText(Backup), Is.EqualTo("keep me"));
        Assert.That(File.Exists(Backup + ".key"), Is.False);
        Assert.That((await RunAsync("backup", "--to", Backup, "--force")).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Backup), Does.Not.Contain("keep me"));
    }

    [Test]
    public async Task A_backup_of_a_missing_database_fails_and_creates_nothing()
    {
        var (code, _, stderr) = await RunAsync("backup", "--to", Backup);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("no token database"));
        Assert.That(Directory.Exists(DataDir), Is.False);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(Backup)!), Is.Empty);
    }

    [Test]
    public async Task A_restore_is_refused_while_a_server_holds_the_data_dir()
    {
        await EnrollAsync("alice");
        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));
        var bob = await EnrollAsync("bob");

        using (DataDirLock.Acquire(DataDir))
        {
            var (code, _, stderr) = await RestoreAsync("--force");

            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(stderr, Does.Contain($"PID {Environment.ProcessId}").And.Contain("stop it first"));
        }

        Assert.That((await TokensAsync()).Select(t => t.GetProperty("serial").GetString()), Does.Contain(bob), "the database is unchanged");
    }

    [Test]
    public async Task A_restore_over_an_existing_database_needs_force_and_then_replaces_it()
    {
        var alice = await EnrollAsync("alice");
        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));
        await EnrollAsync("bob");

        var (code, _, stderr) = await RestoreAsync();

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("already exists").And.Contain("--force"));
        Assert.That(await TokensAsync(), Has.Length.EqualTo(2));
        Assert.That((await RestoreAsync("--force")).Code, Is.EqualTo(0));
        Assert.That((await TokensAsync()).Select(t => t.GetProperty("serial").GetString()), Is.EqualTo(new[] { alice }));
        Assert.That(Directory.GetDirectories(DataDir), Is.Empty, "no staging directory is left");
    }

    [Test]
    public async Task A_restore_into_an_empty_data_dir_works_and_is_recorded_in_the_restored_audit_trail()
    {
        var alice = await EnrollAsync("alice");
        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, recursive: true);

        var (code, stdout, stderr) = await RestoreAsync();

        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("restored 1 token from"));
        Assert.That(File.GetUnixFileMode(DataDir), Is.EqualTo(OwnerOnly | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(Path.Combine(DataDir, "encryption.key")), Is.EqualTo(OwnerOnly));
        Assert.That(File.GetUnixFileMode(Path.Combine(DataDir, OtpStorage.DatabaseFileName)), Is.EqualTo(OwnerOnly));
        using var audit = JsonDocument.Parse((await RunAsync("audit", "list", "--json")).Out);
        var newest = audit.RootElement[0];
        Assert.That(newest.GetProperty("action").GetString(), Is.EqualTo("restore"));
        Assert.That(newest.GetProperty("serial").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(newest.GetProperty("detail").GetString(), Does.Contain(Backup).And.Contain("tokens=1"));
        Assert.That(audit.RootElement[1].GetProperty("serial").GetString(), Is.EqualTo(alice), "the enroll came with the backup");
        Assert.That((await TokensAsync()).Single().GetProperty("counter").GetInt64(), Is.EqualTo(SqliteRestore.CounterSkip),
            "the counter jumps past any value used after the backup, so no OTP is mailed twice");
    }

    [Test]
    public async Task A_restore_with_a_key_of_another_database_is_refused_and_changes_nothing()
    {
        await EnrollAsync("alice");
        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));
        File.Delete(Backup + ".key");
        File.WriteAllBytes(Backup + ".key", new byte[32]);
        File.SetUnixFileMode(Backup + ".key", OwnerOnly);
        var before = File.ReadAllBytes(Path.Combine(DataDir, "encryption.key"));

        var (code, _, stderr) = await RestoreAsync("--force");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("does not belong").And.Contain("nothing restored"));
        Assert.That(File.ReadAllBytes(Path.Combine(DataDir, "encryption.key")), Is.EqualTo(before));
        Assert.That(await TokensAsync(), Has.Length.EqualTo(1));
        Assert.That(Directory.GetDirectories(DataDir), Is.Empty);
    }

    [TestCase("not a database at all, just some text that is long enough to look like a file")]
    [TestCase("")]
    public async Task A_restore_of_something_that_is_not_a_token_database_is_refused(string content)
    {
        File.WriteAllText(Backup, content);
        File.WriteAllBytes(Backup + ".key", new byte[32]);
        File.SetUnixFileMode(Backup + ".key", OwnerOnly);

        var (code, _, stderr) = await RestoreAsync();

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(File.Exists(Path.Combine(DataDir, OtpStorage.DatabaseFileName)), Is.False);
        Assert.That(File.Exists(Path.Combine(DataDir, "encryption.key")), Is.False);
    }

    [Test]
    public async Task A_restore_without_the_key_file_beside_the_copy_is_refused()
    {
        await EnrollAsync("alice");
        Assert.That((await RunAsync("backup", "--to", Backup)).Code, Is.EqualTo(0));
        File.Delete(Backup + ".key");

        var (code, _, stderr) = await RestoreAsync("--force");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("tokens.db.key is missing"));
    }

    // The server has stopped: in a real restore no process holds the old database open. This one does, in its
    // connection pool, and a pooled connection would go on reading the replaced file.
    private Task<(int Code, string Out, string Error)> RestoreAsync(params string[] extra)
    {
        SqliteConnection.ClearAllPools();
        return RunAsync(["restore", "--from", Backup, .. extra]);
    }

    private async Task<JsonElement[]> TokensAsync()
    {
        var (code, json, stderr) = await RunAsync("token", "list", "--json");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task AddTokenAsync(OtpStorage storage, string user)
    {
        var token = TokenFactory.Create(
            storage.Protector, CryptoRandomSource.Instance, user, "example.com", $"{user}@example.com", "1234", OtpHashAlgorithm.Sha1, 6, 10, "",
            DateTimeOffset.UtcNow);
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
    }

    // Bounded: a writer that stalls fails the test instead of hanging it.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, "the writer made no progress in 30 s");
    }

    [GeneratedRegex("backed up ([0-9]+) tokens")]
    private static partial Regex BackedUpCount();
}
