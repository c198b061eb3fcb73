using Dapper;
using Npgsql;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>Bulk enrolment (<c>token import</c>): many tokens in one transaction, all or nothing.</summary>
public sealed partial class PostgresOtpStore
{
    public Task<TokenImportResult> ImportTokensAsync(IReadOnlyList<EmailToken> tokens, bool skipExisting, CancellationToken cancellationToken) =>
        InTransactionAsync("cannot import the tokens", Retry.Never, async (connection, transaction, ct) =>
        {
            // As SQLite's BEGIN IMMEDIATE: no other node can write a token between the check of the users and the
            // inserts (reads, and so logins, go on; token writes wait for this short transaction).
            await connection.ExecuteAsync(Command("LOCK TABLE tokens IN EXCLUSIVE MODE;", transaction: transaction, ct: ct)).ConfigureAwait(false);
            var existing = await FindUsersWithTokensAsync(connection, transaction, tokens, ct).ConfigureAwait(false);
            if (existing.Count > 0 && !skipExisting)
            {
                return (false, new TokenImportResult(0, 0, existing, []));
            }

            var skip = existing.ToHashSet();
            int imported = 0, skipped = 0;
            var taken = new List<string>();
            var written = new List<EmailToken>();
            foreach (var token in tokens)
            {
                if (skip.Contains(new UserIdentity(token.User, token.Realm)))
                {
                    skipped++;
                    continue;
                }

                if (await connection.ExecuteAsync(Command(PostgresStatements.InsertToken, TokenParameters(token), transaction, ct)).ConfigureAwait(false) == 1)
                {
                    imported++;
                    written.Add(token);
                }
                else
                {
                    // Taken by a stored token or an earlier one of this batch; the rest still runs, so every taken
                    // serial is named at once.
                    taken.Add(token.Serial);
                }
            }

            if (taken.Count > 0)
            {
                return (false, new TokenImportResult(0, skipped, [], taken));
            }

            foreach (var token in written)
            {
                await RecordAuditAsync(connection, transaction, token.Serial, ct, AuditDetail.Join(_audit?.Detail ?? string.Empty, AuditDetail.Of(token))).ConfigureAwait(false);
            }

            return (true, new TokenImportResult(imported, skipped, [], []));
        }, cancellationToken);

    // One query for all the batch's users, on ix_tokens_user; the result keeps the batch's order of first appearance.
    private static async Task<List<UserIdentity>> FindUsersWithTokensAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<EmailToken> tokens, CancellationToken cancellationToken)
    {
        var users = tokens.Select(t => new UserIdentity(t.User, t.Realm)).Distinct().ToList();
        var found = (await connection.QueryAsync<(string User, string Realm)>(Command(
                """
                SELECT DISTINCT t.user_name, t.realm FROM tokens AS t
                JOIN unnest(@users, @realms) AS u (user_name, realm) ON t.user_name = u.user_name AND t.realm = u.realm;
                """,
                new { users = users.Select(u => u.User).ToArray(), realms = users.Select(u => u.Realm).ToArray() },
                transaction,
                cancellationToken)).ConfigureAwait(false))
            .Select(r => new UserIdentity(r.User, r.Realm))
            .ToHashSet();
        return [.. users.Where(found.Contains)];
    }
}
