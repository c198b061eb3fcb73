using System.Data.Common;
using Dapper;
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
    private readonly Dictionary<SqliteCommand, Delegate> _rowParsers = [];

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

    /// <summary>Runs a statement without parameters (transaction control on the writer's connection).</summary>
    public int Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>The underlying connection, for Dapper on statements that are not on the request path.</summary>
    public SqliteConnection Connection => _connection;

    /// <summary>
    /// Dapper's row mapper for a kept command, built once: building it reads every column's name and type and hashes them,
    /// which cost more than running the statement. A command's columns are fixed, and every column the store reads has a
    /// declared type, so one mapper fits every result of it.
    /// </summary>
    public Func<DbDataReader, TRow> RowParser<TRow>(SqliteCommand command, DbDataReader reader)
    {
        if (_rowParsers.TryGetValue(command, out var parser) && parser is Func<DbDataReader, TRow> typed)
        {
            return typed;
        }

        typed = reader.GetRowParser<TRow>();
        _rowParsers[command] = typed;
        return typed;
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
