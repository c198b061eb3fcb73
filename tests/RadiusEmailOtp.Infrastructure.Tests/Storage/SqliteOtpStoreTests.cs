using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

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
    public async Task A_lookup_sees_what_another_connection_committed_after_the_previous_lookup()
    {
        // The CLI is another process with its own connections; a second storage on the same files stands in for it.
        var server = await OpenAsync();
        var cli = await OpenAsync();
        Assert.That(await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None), Is.Empty);

        var token = await AddTokenAsync(cli);
        var seen = await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None);
        Assert.That(seen.Select(t => t.Serial), Is.EqualTo(new[] { token.Serial }));

        await server.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        Assert.That((await cli.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(1), "committed on return");
        Assert.That(await cli.Store.ResetFailCountAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That((await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None)).Single().FailCount, Is.EqualTo(0));

        Assert.That(await cli.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await server.Store.ListTokensAsync("alice", "example.com", CancellationToken.None), Is.Empty);
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
    public async Task Concurrent_counter_advances_from_the_same_value_have_one_winner()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            storage.Store.TryCreateChallengeAsync(Challenge(token, $"state{i}", 0), ChallengeGuard.None, CancellationToken.None))));

        Assert.That(results.Count(r => r is not null), Is.EqualTo(1));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrent_answers_to_one_challenge_have_one_winner()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
            storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None))));

        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Many_parallel_consumers_each_get_a_distinct_counter()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);

        async Task<long> ConsumeAsync(int worker)
        {
            while (true)
            {
                var current = (await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!;
                var created = await storage.Store.TryCreateChallengeAsync(Challenge(current, $"w{worker}", current.Counter), ChallengeGuard.None, CancellationToken.None);
                if (created is not null)
                {
                    return created.Counter;
                }
            }
        }

        var counters = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => ConsumeAsync(i))));

        Assert.That(counters.Distinct().Count(), Is.EqualTo(20));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(20));
    }

    [Test]
    public async Task An_answer_closes_older_open_challenges_of_the_token_but_not_newer_ones()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var made = new List<OtpChallenge>();
        for (var i = 0; i < 3; i++)
        {
            made.Add((await storage.Store.TryCreateChallengeAsync(Challenge(token, $"s{i}", i), ChallengeGuard.None, CancellationToken.None))!);
        }

        Assert.That(await storage.Store.TryAnswerChallengeAsync(made[1], Time.GetUtcNow(), CancellationToken.None), Is.True);

        var statuses = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).OrderBy(c => c.Counter).Select(c => c.Status);
        Assert.That(statuses, Is.EqualTo(new[] { ChallengeStatus.Closed, ChallengeStatus.Answered, ChallengeStatus.Open }));
    }

    [Test]
    public async Task An_expired_challenge_cannot_be_answered_and_is_cleaned_up()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;
        var later = Time.GetUtcNow().AddMinutes(10);

        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge, later, CancellationToken.None), Is.False);
        Assert.That(await storage.Store.CleanupAsync(later, TimeSpan.FromHours(1), CancellationToken.None), Is.EqualTo(0));
        Assert.That((await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single().Status, Is.EqualTo(ChallengeStatus.Expired));
        Assert.That(await storage.Store.CleanupAsync(later.AddHours(2), TimeSpan.FromHours(1), CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Wrong_answers_close_a_challenge_at_max_attempts_and_raise_the_failcount()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;

        for (var i = 0; i < 3; i++)
        {
            await storage.Store.RecordWrongAnswerAsync([challenge.Id], [token.Serial], 3, CancellationToken.None);
        }

        var stored = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single();
        Assert.That(stored.Attempts, Is.EqualTo(3));
        Assert.That(stored.Status, Is.EqualTo(ChallengeStatus.Closed));
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(3));
    }

    [Test]
    public async Task A_disabled_token_gets_no_new_challenge_and_deleting_it_removes_its_challenges()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None);
        await storage.Store.SetActiveAsync(token.Serial, false, CancellationToken.None);

        Assert.That(await storage.Store.TryCreateChallengeAsync(Challenge(token, "t", 1), ChallengeGuard.None, CancellationToken.None), Is.Null);
        Assert.That(await storage.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await storage.Store.ListChallengesAsync(null, CancellationToken.None), Is.Empty);
        Assert.That(await storage.Store.DeleteTokenAsync(token.Serial, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Recorded_delivery_is_read_back_as_accepted_with_provider_message_id_and_duration()
    {
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var challenge = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);

        await storage.Store.RecordDeliveryAsync(challenge!.Id, DeliveryStatus.Accepted, "smtp-a", "abc@example.com", null, TimeSpan.FromMilliseconds(1234), CancellationToken.None);

        var stored = (await storage.Store.ListChallengesAsync(null, CancellationToken.None)).Single();
        Assert.That(stored.Delivery, Is.EqualTo(DeliveryStatus.Accepted));
        Assert.That(stored.Provider, Is.EqualTo("smtp-a"));
        Assert.That(stored.MessageId, Is.EqualTo("abc@example.com"));
        Assert.That(stored.DeliveryDuration, Is.EqualTo(TimeSpan.FromMilliseconds(1234)));
    }

    [Test]
    public async Task Open_challenges_read_the_same_before_and_after_their_delivery_fills_the_empty_columns()
    {
        // The prepared path keeps one row mapper per statement: it must fit rows with NULL columns and rows without.
        var storage = await OpenAsync();
        var token = await AddTokenAsync(storage);
        var challenge = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s1", token.Counter), ChallengeGuard.None, CancellationToken.None);
        var before = (await storage.Store.GetOpenChallengesAsync([token.Serial], Time.GetUtcNow(), CancellationToken.None)).Single();
        Assert.That(before.Provider, Is.Null);
        Assert.That(before.DeliveryDuration, Is.Null);

        await storage.Store.RecordDeliveryAsync(challenge!.Id, DeliveryStatus.Accepted, "smtp-a", "abc@example.com", null, TimeSpan.FromMilliseconds(1234), CancellationToken.None);

        var after = (await storage.Store.GetOpenChallengesAsync([token.Serial], Time.GetUtcNow(), CancellationToken.None)).Single();
        Assert.That(after.Id, Is.EqualTo(before.Id));
        Assert.That(after.Provider, Is.EqualTo("smtp-a"));
        Assert.That(after.DeliveryDuration, Is.EqualTo(TimeSpan.FromMilliseconds(1234)));
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
