using Dapper;
using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The audit trail (<c>audit</c> table, migration 6). An audited view shares the store's connections and writer and adds
/// its record inside the same write as the change, so a change and its record commit together or not at all.
/// </summary>
internal sealed partial class SqliteOtpStore
{
    private const string InsertAuditSql = """
        INSERT INTO audit (time, user_name, os_user, action, serial, detail)
        VALUES (@Time, @User, @OsUser, @Action, @Serial, @Detail);
        """;

    private readonly AuditEntry? _audit;

    // The audited view: the same database, pool and writer; only the record to add differs.
    private SqliteOtpStore(SqliteOtpStore store, AuditEntry audit)
    {
        _connectionString = store._connectionString;
        _prepared = store._prepared;
        _writer = store._writer;
        _timeProvider = store._timeProvider;
        _audit = audit;
    }

    public IOtpStore WithAudit(AuditEntry entry) => new SqliteOtpStore(this, entry);

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _writer.WriteAsync(c => c.Connection.Execute(InsertAuditSql, AuditParameters(entry, entry.Serial)));

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Time, string User, string OsUser, string Action, string? Serial, string Detail)>(
            """
            SELECT time, user_name, os_user, action, serial, detail FROM audit
            WHERE @user IS NULL OR user_name = @user
            ORDER BY id DESC LIMIT @limit;
            """,
            new { user, limit }).ConfigureAwait(false);
        return [.. rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.Time), r.User, r.OsUser, r.Action, r.Serial, r.Detail))];
    }

    /// <summary>In a writer's write: adds this view's record for <paramref name="serial"/> (nothing on the plain store).</summary>
    private void RecordAudit(PreparedConnection connection, string serial)
    {
        if (_audit is not null)
        {
            connection.Connection.Execute(InsertAuditSql, AuditParameters(_audit, serial));
        }
    }

    /// <summary>In an import's transaction: one record per imported token, with its user and address as the detail.</summary>
    private async Task RecordImportAuditAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<EmailToken> imported, CancellationToken cancellationToken)
    {
        if (_audit is null)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertAuditSql;
        var serial = command.Parameters.Add("@Serial", SqliteType.Text);
        var detail = command.Parameters.Add("@Detail", SqliteType.Text);
        command.Parameters.AddWithValue("@Time", _audit.Time.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@User", _audit.User);
        command.Parameters.AddWithValue("@OsUser", _audit.OsUser);
        command.Parameters.AddWithValue("@Action", _audit.Action);
        foreach (var token in imported)
        {
            serial.Value = token.Serial;
            detail.Value = AuditDetail.Join(_audit.Detail, AuditDetail.Of(token));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object AuditParameters(AuditEntry entry, string? serial) => new
    {
        Time = entry.Time.ToUnixTimeMilliseconds(),
        entry.User,
        entry.OsUser,
        entry.Action,
        Serial = serial,
        entry.Detail,
    };
}
