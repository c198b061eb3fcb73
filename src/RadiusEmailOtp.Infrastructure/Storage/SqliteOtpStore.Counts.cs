using Dapper;
using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>The monitoring read of <see cref="IOtpStore.CountAsync"/>: two counts on a reader connection.</summary>
internal sealed partial class SqliteOtpStore
{
    // Open challenges through ix_challenges_expires (only the unexpired rows are visited); locked tokens scan the token
    // table, which is fine at a scrape every few seconds (the caller caches) but is why this is no request-path statement.
    private const string CountsSql = """
        SELECT
            (SELECT COUNT(*) FROM challenges WHERE expires_at > @now AND status = 'open') AS OpenChallenges,
            (SELECT COUNT(*) FROM tokens WHERE failcount >= max_fail) AS LockedTokens;
        """;

    public async Task<StoreCounts> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            var row = await connection.QuerySingleAsync<CountsRow>(
                new CommandDefinition(CountsSql, new { now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new StoreCounts(row.OpenChallenges, row.LockedTokens);
        }
        catch (SqliteException ex)
        {
            throw new StorageException($"cannot count challenges and tokens: {ex.Message}", ex);
        }
    }

    private sealed record CountsRow(long OpenChallenges, long LockedTokens);
}
