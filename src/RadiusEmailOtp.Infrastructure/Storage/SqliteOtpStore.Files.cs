using Microsoft.Data.Sqlite;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>What a restore needs of the store beyond the port: letting go of the database file.</summary>
internal sealed partial class SqliteOtpStore
{
    /// <summary>
    /// Closes the idle pooled read connections of this database (Microsoft.Data.Sqlite keeps them open after Dispose of
    /// a connection), so another connection can take the file out of WAL mode.
    /// </summary>
    public void ClosePooledConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
