using Microsoft.Data.Sqlite;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>Bulk enrolment (<c>token import</c>): many tokens in one transaction, all or nothing.</summary>
internal sealed partial class SqliteOtpStore
{
    private const string InsertTokenSql = """
        INSERT INTO tokens (serial, user_name, realm, email, pin_salt, pin_hash, seed_nonce, seed_ciphertext, hash_algorithm,
                            otp_length, counter, failcount, max_fail, active, description, created_at, updated_at, resolver, origin)
        VALUES ($serial, $user, $realm, $email, $pin_salt, $pin_hash, $seed_nonce, $seed_ciphertext, $hash, $otp_length, $counter,
                $failcount, $max_fail, $active, $description, $created, $updated, $resolver, $origin)
        ON CONFLICT DO NOTHING;
        """;

    // One INSERT for enroll, import and autoenroll; a taken serial, or a second auto-enrolled token of a user, inserts
    // nothing (the caller picks another serial, or reads the token that won).
    private static void BindToken(SqliteCommand command, EmailToken token)
    {
        Bind(command, "$serial", token.Serial);
        Bind(command, "$user", token.User);
        Bind(command, "$realm", token.Realm);
        Bind(command, "$email", token.Email);
        Bind(command, "$pin_salt", token.PinSalt);
        Bind(command, "$pin_hash", token.PinHash);
        Bind(command, "$seed_nonce", token.SeedNonce);
        Bind(command, "$seed_ciphertext", token.SeedCiphertext);
        Bind(command, "$hash", OtpHashAlgorithmNames.ToName(token.Hash));
        Bind(command, "$otp_length", token.OtpLength);
        Bind(command, "$counter", token.Counter);
        Bind(command, "$failcount", token.FailCount);
        Bind(command, "$max_fail", token.MaxFail);
        Bind(command, "$active", token.Active ? 1 : 0);
        Bind(command, "$description", token.Description);
        Bind(command, "$created", token.Created.ToUnixTimeMilliseconds());
        Bind(command, "$updated", token.Updated.ToUnixTimeMilliseconds());
        Bind(command, "$resolver", token.Resolver);
        Bind(command, "$origin", token.AutoEnrolled ? EmailToken.AutoEnrollOrigin : EmailToken.AdminOrigin);
    }

    public async Task<TokenImportResult> ImportTokensAsync(IReadOnlyList<EmailToken> tokens, bool skipExisting, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE: the write lock is taken before the users are checked, so no enroll can give one of them a
        // token between the check and the insert.
        await using var transaction = connection.BeginTransaction(deferred: false);

        var existing = await FindUsersWithTokensAsync(connection, transaction, tokens, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0 && !skipExisting)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new TokenImportResult(0, 0, [.. existing], []);
        }

        var (imported, skipped, taken) = await InsertImportedAsync(connection, transaction, tokens, existing, cancellationToken).ConfigureAwait(false);
        if (taken.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new TokenImportResult(0, skipped, [], taken);
        }

        var skip = existing.ToHashSet();
        await RecordImportAuditAsync(connection, transaction, tokens.Where(t => !skip.Contains(new UserIdentity(t.User, t.Realm))), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new TokenImportResult(imported, skipped, [], []);
    }

    // One prepared lookup per distinct user, on ix_tokens_user: cheap per row however large the table is.
    private static async Task<List<UserIdentity>> FindUsersWithTokensAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<EmailToken> tokens, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM tokens WHERE user_name = $user AND realm = $realm LIMIT 1;";
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var realm = command.Parameters.Add("$realm", SqliteType.Text);
        command.Prepare();

        var seen = new HashSet<UserIdentity>();
        var existing = new List<UserIdentity>();
        foreach (var token in tokens)
        {
            var identity = new UserIdentity(token.User, token.Realm);
            if (!seen.Add(identity))
            {
                continue;
            }

            user.Value = token.User;
            realm.Value = token.Realm;
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                existing.Add(identity);
            }
        }

        return existing;
    }

    private static async Task<(int Imported, int Skipped, List<string> Taken)> InsertImportedAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<EmailToken> tokens, List<UserIdentity> existing,
        CancellationToken cancellationToken)
    {
        var skip = existing.ToHashSet();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertTokenSql;

        int imported = 0, skipped = 0;
        var taken = new List<string>();
        foreach (var token in tokens)
        {
            if (skip.Contains(new UserIdentity(token.User, token.Realm)))
            {
                skipped++;
                continue;
            }

            BindToken(command, token);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                imported++;
            }
            else
            {
                // Taken by a stored token or by an earlier one of this batch; the rest still runs, so every taken
                // serial is named at once and one retry usually suffices.
                taken.Add(token.Serial);
            }
        }

        return (imported, skipped, taken);
    }
}
