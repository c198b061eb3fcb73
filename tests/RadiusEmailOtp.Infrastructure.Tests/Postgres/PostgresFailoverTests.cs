using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Infrastructure.Tests.Storage;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

/// <summary>
/// Dropped connections (the backend terminated, as a failover or a restart does: 57P01), a database that cannot be
/// reached, and migrations: what is retried, what becomes <see cref="StoreUnavailableException"/>, and what is said.
/// </summary>
public sealed class PostgresFailoverTests() : StoreTestBase(StoreEngine.Postgres)
{
    [Test]
    public async Task A_read_on_a_connection_whose_backend_was_terminated_is_retried_once_and_succeeds()
    {
        var storage = await OpenStoreAsync(maxPoolSize: 1);
        var token = await AddUserTokenAsync(storage);

        Assert.That(await TerminateOtherBackendsAsync(), Is.EqualTo(1), "the store's idle pooled connection");

        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Serial, Is.EqualTo(token.Serial));
        Assert.That(await storage.Store.ListTokensAsync("alice", "example.com", CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_answer_after_a_terminated_backend_is_retried_and_wins_once()
    {
        var storage = await OpenStoreAsync(maxPoolSize: 1);
        var token = await AddUserTokenAsync(storage);
        var challenge = (await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None))!;
        await TerminateOtherBackendsAsync();

        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None), Is.True);
        Assert.That(await storage.Store.TryAnswerChallengeAsync(challenge, Time.GetUtcNow(), CancellationToken.None), Is.False);
    }

    [Test]
    public async Task A_challenge_creation_and_its_delivery_record_after_a_terminated_backend_are_retried()
    {
        var storage = await OpenStoreAsync(maxPoolSize: 1);
        var token = await AddUserTokenAsync(storage);
        await TerminateOtherBackendsAsync();

        var created = await storage.Store.TryCreateChallengeAsync(Challenge(token, "s", 0), ChallengeGuard.None, CancellationToken.None);
        Assert.That(created, Is.Not.Null);
        await TerminateOtherBackendsAsync();
        await storage.Store.RecordDeliveryAsync(created!.Id, DeliveryStatus.Accepted, "smtp", "m1", null, TimeSpan.FromMilliseconds(3), CancellationToken.None);

        Assert.That((await storage.Store.GetChallengesByStateAsync("s", CancellationToken.None)).Single().Delivery, Is.EqualTo(DeliveryStatus.Accepted));
    }

    [Test]
    public async Task A_challenge_creation_run_again_after_it_committed_returns_the_stored_challenge()
    {
        // What the retry sees when the first run committed and only its reply was lost with the connection.
        var storage = await OpenStoreAsync();
        var token = await AddUserTokenAsync(storage);
        var draft = Challenge(token, "s", 0);
        var first = (await storage.Store.TryCreateChallengeAsync(draft, ChallengeGuard.None, CancellationToken.None))!;

        var again = await storage.Store.TryCreateChallengeAsync(draft, ChallengeGuard.None, CancellationToken.None);

        Assert.That(again?.Id, Is.EqualTo(first.Id));
        Assert.That(await storage.Store.TryCreateChallengeAsync(draft with { State = "other" }, ChallengeGuard.None, CancellationToken.None), Is.Null, "another request lost the race");
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Counter, Is.EqualTo(1));
        Assert.That(await storage.Store.ListChallengesAsync(null, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_write_that_is_not_safe_to_repeat_is_not_retried_and_the_next_call_gets_a_fresh_connection()
    {
        var storage = await OpenStoreAsync(maxPoolSize: 1);
        var token = await AddUserTokenAsync(storage);
        await TerminateOtherBackendsAsync();

        var ex = Assert.ThrowsAsync<StoreUnavailableException>(() => storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith("cannot count the failure: the database at 127.0.0.1:" + Cluster.Port));
        Assert.That(ex.Message, Does.Contain("57P01"));
        await storage.Store.IncrementFailCountAsync([token.Serial], CancellationToken.None);
        Assert.That((await storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.FailCount, Is.EqualTo(1), "counted once");
    }

    [Test]
    public async Task A_database_that_cannot_be_reached_is_store_unavailable_with_host_and_port_but_no_password()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var connection = new NpgsqlConnectionStringBuilder(ConnectionString) { Port = port, Timeout = 2 }.ConnectionString;
        await using var store = new PostgresOtpStore(NpgsqlDataSource.Create(connection), "radius-a", Time);

        var read = Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetTokenAsync("x", CancellationToken.None));
        var write = Assert.ThrowsAsync<StoreUnavailableException>(() => store.IncrementFailCountAsync(["x"], CancellationToken.None));

        foreach (var ex in new[] { read!, write! })
        {
            Assert.That(ex.Message, Does.Contain($"the database at 127.0.0.1:{port} cannot be reached"));
            Assert.That(ex.Message, Does.Not.Contain(PostgresCluster.Password));
            Assert.That(ex.ToString(), Does.Not.Contain(PostgresCluster.Password));
        }
    }

    [Test]
    public async Task A_wrong_password_is_a_storage_error_that_does_not_echo_the_password()
    {
        var connection = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "Wrong-Secret-4711" }.ConnectionString;
        await using var store = new PostgresOtpStore(NpgsqlDataSource.Create(connection), "radius-a", Time);

        var ex = Assert.ThrowsAsync<StorageException>(() => store.MigrateAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("28P01"));
        Assert.That(ex.ToString(), Does.Not.Contain("Wrong-Secret-4711"));
    }

    [Test]
    public async Task Two_nodes_migrating_at_once_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 4).Select(i => new PostgresOtpStore(DataSource(), $"radius-{i}", Time)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));

            await using var connection = await DataSource().OpenConnectionAsync();
            var versions = await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version;");
            Assert.That(versions, Is.EqualTo(PostgresMigrations.All.Select(m => (long)m.Version)));
            Assert.That(await stores[3].SchemaVersionAsync(CancellationToken.None), Is.EqualTo(PostgresMigrations.All[^1].Version));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory';"), Is.Zero, "the lock is let go");
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_database_newer_than_the_program_is_refused_and_left_as_it_is()
    {
        var storage = await OpenStoreAsync();
        await using (var connection = await DataSource().OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (99, 0);");
        }

        var ex = Assert.ThrowsAsync<StorageException>(() => storage.Postgres!.MigrateAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("schema version 99, newer than this program knows"));
        Assert.That(await storage.Postgres!.SchemaVersionAsync(CancellationToken.None), Is.EqualTo(99));
    }

    [Test]
    public async Task Store_metadata_is_kept_and_replaced()
    {
        var storage = await OpenStoreAsync();
        Assert.That(await storage.Postgres!.GetMetaAsync("key_check", CancellationToken.None), Is.Null);

        await storage.Postgres.SetMetaAsync("key_check", [1, 2, 3], CancellationToken.None);
        await storage.Postgres.SetMetaAsync("key_check", [4, 5], CancellationToken.None);

        var other = await OpenStoreAsync("radius-b");
        Assert.That(await other.Postgres!.GetMetaAsync("key_check", CancellationToken.None), Is.EqualTo(new byte[] { 4, 5 }));
    }

    // Terminates every backend on the test database but this one, as a failover or a fast shutdown would.
    private async Task<int> TerminateOtherBackendsAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.AdminConnectionString);
        await connection.OpenAsync();
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        var terminated = await connection.QueryAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid();", new { database });
        var count = terminated.Count(t => t);
        // pg_terminate_backend only signals: wait until the backends are gone.
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>(
                 "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = @database;", new { database }) > 0; i++)
        {
            await Task.Delay(20);
        }

        return count;
    }
}
