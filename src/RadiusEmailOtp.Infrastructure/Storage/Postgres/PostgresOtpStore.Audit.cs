using Dapper;
using Npgsql;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>
/// The audit trail. An audited view shares the store's data source and writes its record in the same transaction as
/// the change, so a change and its record commit together or not at all.
/// </summary>
public sealed partial class PostgresOtpStore
{
    private readonly AuditEntry? _audit;

    // The audited view: the same data source and node; only the record to add differs. It does not own the data source.
    private PostgresOtpStore(PostgresOtpStore store, AuditEntry audit)
    {
        _dataSource = store._dataSource;
        _timeProvider = store._timeProvider;
        _endpoint = store._endpoint;
        Node = store.Node;
        _audit = audit;
    }

    public IOtpStore WithAudit(AuditEntry entry) => new PostgresOtpStore(this, entry);

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        RunAsync("cannot write the audit record", Retry.Never, (connection, ct) =>
            connection.ExecuteAsync(Command(PostgresStatements.InsertAudit, AuditParameters(entry, entry.Serial, entry.Detail), ct: ct)), cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AuditEntry>>("cannot read the audit trail", Retry.Once, async (connection, ct) =>
        {
            var rows = await connection.QueryAsync<(long Time, string User, string OsUser, string Action, string? Serial, string Detail)>(Command(
                PostgresStatements.Audit, new { user, limit = (long)limit }, ct: ct)).ConfigureAwait(false);
            return [.. rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.Time), r.User, r.OsUser, r.Action, r.Serial, r.Detail))];
        }, cancellationToken);

    /// <summary>In a change's transaction: adds this view's record for <paramref name="serial"/> (nothing on the plain store).</summary>
    private async Task RecordAuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string serial, CancellationToken cancellationToken, string? detail = null)
    {
        if (_audit is not null)
        {
            await connection.ExecuteAsync(Command(PostgresStatements.InsertAudit, AuditParameters(_audit, serial, detail ?? _audit.Detail), transaction, cancellationToken))
                .ConfigureAwait(false);
        }
    }

    private static object AuditParameters(AuditEntry entry, string? serial, string detail) => new
    {
        Time = entry.Time.ToUnixTimeMilliseconds(),
        entry.User,
        entry.OsUser,
        entry.Action,
        Serial = serial,
        Detail = detail,
    };
}
