using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// A fresh data directory (SQLite) or database (PostgreSQL, on the test run's <see cref="PostgresCluster"/>) per test, a
/// fake clock, and the store's open and challenge helpers. An engine-agnostic fixture takes the engine as its parameter
/// (<c>[TestFixture(StoreEngine.Sqlite)]</c>, <c>[TestFixture(StoreEngine.Postgres)]</c>) and opens stores with
/// <see cref="OpenStoreAsync"/>; a SQLite-only one uses <see cref="OpenAsync"/>.
/// </summary>
public abstract class StoreTestBase(StoreEngine engine = StoreEngine.Sqlite)
{
    private readonly List<StoreUnderTest> _opened = [];
    private byte[] _key = [];

    protected StoreEngine Engine => engine;

    protected string Dir { get; private set; } = string.Empty;

    protected FakeTimeProvider Time { get; private set; } = null!;

    /// <summary>The PostgreSQL test database of this test (PostgreSQL engine only).</summary>
    protected string ConnectionString { get; private set; } = string.Empty;

    protected PostgresCluster Cluster { get; private set; } = null!;

    [SetUp]
    public async Task CreateDataDirectoryAsync()
    {
        Dir = Path.Combine(Path.GetTempPath(), "reo-store-" + Guid.NewGuid().ToString("N"));
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _key = RandomNumberGenerator.GetBytes(32);
        if (engine == StoreEngine.Postgres)
        {
            Cluster = await PostgresCluster.GetAsync();
            ConnectionString = await Cluster.CreateDatabaseAsync();
        }
    }

    [TearDown]
    public async Task DeleteDataDirectoryAsync()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        _opened.Clear();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }

        if (ConnectionString.Length > 0)
        {
            await Cluster.DropDatabaseAsync(ConnectionString);
            ConnectionString = string.Empty;
        }
    }

    /// <summary>The SQLite data directory of this test, opened (SQLite-only tests).</summary>
    protected Task<OtpStorage> OpenAsync() => OtpStorage.OpenAsync(Dir, Time, CancellationToken.None);

    /// <summary>
    /// The test's store on the fixture's engine, migrated; each call opens another one on the same database (another
    /// process on the SQLite file, another node named <paramref name="node"/> on PostgreSQL). Closed at the end of the test.
    /// </summary>
    protected async Task<StoreUnderTest> OpenStoreAsync(string node = "node-a", int maxPoolSize = 50)
    {
        StoreUnderTest opened;
        if (engine == StoreEngine.Sqlite)
        {
            opened = StoreUnderTest.Of(await OpenAsync());
        }
        else
        {
            var store = new PostgresOtpStore(DataSource(maxPoolSize), node, Time);
            await store.MigrateAsync(CancellationToken.None);
            opened = StoreUnderTest.Of(store, new TokenProtector(_key));
        }

        _opened.Add(opened);
        return opened;
    }

    /// <summary>A data source on this test's PostgreSQL database.</summary>
    protected NpgsqlDataSource DataSource(int maxPoolSize = 50) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = maxPoolSize }.ConnectionString);

    protected Task<EmailToken> AddUserTokenAsync(OtpStorage storage, string user = "alice", int maxFail = 10) =>
        AddUserTokenAsync(storage.Store, storage.Protector, user, maxFail);

    protected Task<EmailToken> AddUserTokenAsync(StoreUnderTest storage, string user = "alice", int maxFail = 10) =>
        AddUserTokenAsync(storage.Store, storage.Protector, user, maxFail);

    protected OtpChallenge Challenge(EmailToken token, string state, long counter, string client = "vpn1") => new(
        0, state, token.Serial, counter, token.User, token.Realm, client, Time.GetUtcNow(), Time.GetUtcNow().AddMinutes(5),
        ChallengeStatus.Open, 0, DeliveryStatus.Pending, null, null, null);

    private async Task<EmailToken> AddUserTokenAsync(IOtpStore store, TokenProtector protector, string user, int maxFail)
    {
        var token = TokenFactory.Create(
            protector, CryptoRandomSource.Instance, user, "example.com", user + "@example.com", "1234", OtpHashAlgorithm.Sha1, 6, maxFail, "", Time.GetUtcNow());
        Assert.That(await store.AddTokenAsync(token, CancellationToken.None), Is.True);
        return token;
    }
}
