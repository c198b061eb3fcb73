using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// A store opened by <see cref="StoreTestBase.OpenStoreAsync"/>: the port and the protector of its seeds, whichever the
/// engine. Two of one test share the database (two processes on one SQLite file, or two nodes on one PostgreSQL).
/// </summary>
public sealed class StoreUnderTest : IDisposable
{
    private bool _disposed;

    private StoreUnderTest(IOtpStore store, TokenProtector protector, OtpStorage? sqlite, PostgresOtpStore? postgres)
    {
        Store = store;
        Protector = protector;
        Sqlite = sqlite;
        Postgres = postgres;
    }

    public IOtpStore Store { get; }

    public TokenProtector Protector { get; }

    /// <summary>The SQLite data directory's storage, on the SQLite engine.</summary>
    public OtpStorage? Sqlite { get; }

    /// <summary>The PostgreSQL store, on the PostgreSQL engine.</summary>
    public PostgresOtpStore? Postgres { get; }

    public static StoreUnderTest Of(OtpStorage storage) => new(storage.Store, storage.Protector, storage, null);

    public static StoreUnderTest Of(PostgresOtpStore store, TokenProtector protector) => new(store, protector, null, store);

    /// <summary>Closes the store (once; the test base closes every store at the end of the test too).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Sqlite?.Dispose();
        Postgres?.Dispose();
    }
}
