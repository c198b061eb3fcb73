using Microsoft.Data.Sqlite;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// A long-lived connection with its commands kept by SQL text: Microsoft.Data.Sqlite keeps a command's statements
/// prepared while its text stays the same, so a statement is parsed and planned once per connection, not per request.
/// Nothing read is cached: every statement runs in its own autocommit transaction and sees what other connections and
/// processes (the CLI) have committed.
/// </summary>
internal sealed class PreparedConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private PreparedConnection(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens a connection with the store's connection string (and so the same pragmas as every other one).</summary>
    public static PreparedConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            return new PreparedConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal SqliteConnection ConnectionForTests => _connection;

    /// <summary>The command for <paramref name="sql"/>, created on first use; bind every parameter before each run.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }
}
