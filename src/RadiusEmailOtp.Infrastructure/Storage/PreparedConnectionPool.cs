namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The store's own small pool of <see cref="PreparedConnection"/>s for the statements every Access-Request runs: opened once,
/// they keep their prepared statements, where a pooled Microsoft.Data.Sqlite connection would re-run its open pragmas and
/// re-parse every statement on every call.
/// </summary>
internal sealed class PreparedConnectionPool : IDisposable
{
    // Requests run on pool threads; more idle connections than a few per core are never used at once.
    private static readonly int s_maxIdle = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly string _connectionString;
    private readonly Lock _lock = new();
    private readonly Stack<PreparedConnection> _idle = new();
    private bool _disposed;

    public PreparedConnectionPool(string connectionString)
    {
        _connectionString = connectionString;
    }

    /// <summary>An idle connection, or a newly opened one when all are in use.</summary>
    public PreparedConnection Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var connection))
            {
                return connection;
            }
        }

        return PreparedConnection.Open(_connectionString);
    }

    /// <summary>Takes back a connection whose last statement completed; one beyond the idle limit is closed.</summary>
    public void Return(PreparedConnection connection)
    {
        lock (_lock)
        {
            if (!_disposed && _idle.Count < s_maxIdle)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes the idle connections; one still rented is closed when it comes back.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
        }
    }
}
