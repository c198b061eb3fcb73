using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// What only the SQLite store has: the data directory's files (WAL, modes, the key file), its connections and pragmas,
/// and its older migrations. The port's behaviour is in <see cref="OtpStoreTests"/>, on both engines.
/// </summary>
public sealed class SqliteOtpStoreTests : StoreTestBase
{
    [Test]
    public async Task Opening_creates_the_database_in_wal_mode_at_the_newest_schema_version()
    {
        var storage = await OpenAsync();

        Assert.That(storage.DatabasePath, Is.EqualTo(Path.Combine(Dir, "radius-email-otp.db")));
        Assert.That(await storage.SqliteStore.SchemaVersionAsync(CancellationToken.None), Is.EqualTo(SqliteMigrations.All[^1].Version));
        await using var connection = new SqliteConnection($"Data Source={storage.DatabasePath}");
        await connection.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Reopening_applies_each_migration_once_and_keeps_the_tokens()
    {
        var first = await OpenAsync();
        var token = await AddTokenAsync(first);

        var second = await OpenAsync();

        Assert.That((await second.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Email, Is.EqualTo("alice@example.com"));
        await using var connection = new SqliteConnection($"Data Source={second.DatabasePath}");
        await connection.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version;"), Is.EqualTo(SqliteMigrations.All.Count));
    }

    [Test]
    public async Task The_key_file_is_created_once_with_mode_0600_and_32_bytes()
    {
        var storage = await OpenAsync();

        Assert.That(new FileInfo(storage.KeyPath).Length, Is.EqualTo(32));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(storage.KeyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        var before = await File.ReadAllBytesAsync(storage.KeyPath);
        await OpenAsync();
        Assert.That(await File.ReadAllBytesAsync(storage.KeyPath), Is.EqualTo(before));
    }

    [Test]
    public async Task Store_connections_commit_durably_and_enforce_foreign_keys()
    {
        var storage = await OpenAsync();
        await using var connection = await storage.SqliteStore.OpenConnectionForTestsAsync(CancellationToken.None);
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous;"), Is.EqualTo(2), "synchronous=FULL");
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Prepared_connections_commit_durably_and_enforce_foreign_keys()
    {
        var storage = await OpenAsync();
        using var prepared = storage.SqliteStore.RentPreparedConnectionForTests();
        var connection = prepared.Connection;
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous;"), Is.EqualTo(2), "synchronous=FULL");
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"), Is.EqualTo("wal"));
        Assert.That(prepared.Command("SELECT 1;"), Is.SameAs(prepared.Command("SELECT 1;")), "kept, not created per call");
    }

    [Test]
    public async Task Disposing_the_storage_closes_its_long_lived_connections()
    {
        var storage = await OpenAsync();
        await storage.Store.ListTokensAsync("alice", "example.com", CancellationToken.None);
        var idle = storage.SqliteStore.RentPreparedConnectionForTests();
        storage.SqliteStore.ReturnPreparedConnectionForTests(idle);

        storage.Dispose();

        Assert.That(idle.Connection.State, Is.EqualTo(System.Data.ConnectionState.Closed));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_file_are_readable_by_the_owner_only()
    {
        var storage = await OpenAsync();
        await storage.SqliteStore.GetMetaAsync("key_check", CancellationToken.None);
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.That(File.GetUnixFileMode(storage.DatabasePath), Is.EqualTo(ownerOnly));
        var wal = storage.DatabasePath + "-wal";
        if (File.Exists(wal))
        {
            Assert.That(File.GetUnixFileMode(wal), Is.EqualTo(ownerOnly));
        }
    }

    [Test]
    public async Task Without_its_key_file_the_database_does_not_open_and_says_why()
    {
        var storage = await OpenAsync();
        File.Delete(storage.KeyPath);

        var ex = Assert.ThrowsAsync<StorageException>(OpenAsync);

        Assert.That(ex!.Message, Does.Contain("encryption.key").And.Contain("missing"));
        Assert.That(File.Exists(storage.KeyPath), Is.False, "a new key would make every token unreadable");
    }

    [Test]
    public async Task A_key_file_of_another_database_is_refused()
    {
        var storage = await OpenAsync();
        await File.WriteAllBytesAsync(storage.KeyPath, new byte[32]);

        var ex = Assert.ThrowsAsync<StorageException>(OpenAsync);

        Assert.That(ex!.Message, Does.Contain("does not belong"));
    }

    [Test]
    public async Task A_key_file_readable_by_others_is_refused()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "Unix file modes only");
        var storage = await OpenAsync();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(storage.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.ThrowsAsync<StorageException>(OpenAsync);

        Assert.That(ex!.Message, Does.Contain("chmod 600"));
    }

    [Test]
    public async Task Neither_the_seed_nor_the_pin_can_be_read_from_the_database_files()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage, pin: "Pin-Secret-4711");
        var seed = storage.Protector.OpenSeed(token);
        SqliteConnection.ClearAllPools();

        var bytes = Directory.GetFiles(Dir, "radius-email-otp.db*").SelectMany(File.ReadAllBytes).ToArray();

        Assert.That(bytes.AsSpan().IndexOf(seed), Is.EqualTo(-1));
        Assert.That(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("Pin-Secret-4711")), Is.EqualTo(-1));
        Assert.That(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token.Serial)), Is.GreaterThanOrEqualTo(0), "the search does see the rows");
    }

    [Test]
    public async Task Migration_2_turns_version_1_sent_deliveries_into_accepted_without_a_duration()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={storage.DatabasePath}"))
        {
            // Back to the version 1 shape, with a row as version 1 wrote it.
            await connection.OpenAsync();
            await connection.ExecuteAsync("""
                UPDATE challenges SET delivery_status = 'sent';
                ALTER TABLE challenges DROP COLUMN delivery_ms;
                ALTER TABLE tokens DROP COLUMN last_failure_at;
                DROP INDEX ux_tokens_autoenroll;
                ALTER TABLE tokens DROP COLUMN origin;
                ALTER TABLE tokens DROP COLUMN resolver;
                DELETE FROM schema_version WHERE version >= 2;
                """);
        }

        var reopened = await OpenAsync();

        var stored = (await reopened.Store.ListChallengesAsync(null, CancellationToken.None)).Single();
        Assert.That(stored.Delivery, Is.EqualTo(DeliveryStatus.Accepted));
        Assert.That(stored.DeliveryDuration, Is.Null);
    }

    [Test]
    public async Task Migration_3_folds_stored_user_names_to_lowercase_beyond_ascii()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={storage.DatabasePath}"))
        {
            // Back to version 2, with names as version 2 stored them: as typed.
            await connection.OpenAsync();
            await connection.ExecuteAsync("""
                UPDATE tokens SET user_name = 'ÄLICE';
                UPDATE challenges SET user_name = 'ÄLICE';
                ALTER TABLE tokens DROP COLUMN last_failure_at;
                DROP INDEX ux_tokens_autoenroll;
                ALTER TABLE tokens DROP COLUMN origin;
                ALTER TABLE tokens DROP COLUMN resolver;
                DELETE FROM schema_version WHERE version >= 3;
                """);
        }

        var reopened = await OpenAsync();

        Assert.That((await reopened.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.User, Is.EqualTo("älice"));
        Assert.That((await reopened.Store.ListChallengesAsync("älice", CancellationToken.None)).Single().User, Is.EqualTo("älice"));
    }

    private async Task<EmailToken> AddTokenAsync(OtpStorage storage, string pin = "1234")
    {
        var token = TokenFactory.Create(
            storage.Protector, CryptoRandomSource.Instance, "alice", "example.com", "alice@example.com", pin, OtpHashAlgorithm.Sha1, 6, 10, "", Time.GetUtcNow());
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        Assert.That(await storage.Store.AddTokenAsync(token, CancellationToken.None), Is.False, "a serial is unique");
        return token;
    }
}
