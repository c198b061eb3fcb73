namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The schema, as an append-only list: version N is applied once, in its own transaction, and recorded in
/// <c>schema_version</c>. Never edit a shipped migration; add the next one. Every new migration needs a PostgreSQL twin
/// in <see cref="Postgres.PostgresMigrations"/> (whose version 1 is this schema after migration 7), so both engines keep
/// one schema.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE tokens (
                serial          TEXT PRIMARY KEY,
                user_name       TEXT NOT NULL,
                realm           TEXT NOT NULL,
                email           TEXT NOT NULL,
                pin_salt        BLOB NOT NULL,
                pin_hash        BLOB NOT NULL,
                seed_nonce      BLOB NOT NULL,
                seed_ciphertext BLOB NOT NULL,
                hash_algorithm  TEXT NOT NULL,
                otp_length      INTEGER NOT NULL,
                counter         INTEGER NOT NULL,
                failcount       INTEGER NOT NULL DEFAULT 0,
                max_fail        INTEGER NOT NULL,
                active          INTEGER NOT NULL,
                description     TEXT NOT NULL DEFAULT '',
                created_at      INTEGER NOT NULL,
                updated_at      INTEGER NOT NULL
            );
            CREATE INDEX ix_tokens_user ON tokens (user_name, realm);
            CREATE TABLE challenges (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                state           TEXT NOT NULL,
                serial          TEXT NOT NULL REFERENCES tokens (serial) ON DELETE CASCADE,
                counter         INTEGER NOT NULL,
                user_name       TEXT NOT NULL,
                realm           TEXT NOT NULL,
                client          TEXT NOT NULL,
                created_at      INTEGER NOT NULL,
                expires_at      INTEGER NOT NULL,
                status          TEXT NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                delivery_status TEXT NOT NULL,
                provider        TEXT,
                message_id      TEXT,
                delivery_error  TEXT,
                UNIQUE (serial, counter)
            );
            CREATE INDEX ix_challenges_state ON challenges (state);
            CREATE INDEX ix_challenges_serial_status ON challenges (serial, status);
            CREATE TABLE store_meta (
                key   TEXT PRIMARY KEY,
                value BLOB NOT NULL
            );
            """),
        // Issue 4 visibility: the outcome is "accepted" (the provider took the mail, which is not proof of delivery),
        // and the time the delivery took is kept beside it.
        (2, """
            UPDATE challenges SET delivery_status = 'accepted' WHERE delivery_status = 'sent';
            ALTER TABLE challenges ADD COLUMN delivery_ms INTEGER;
            """),
        // User names are case-insensitive from now on (RealmResolver.NormaliseUser): fold the stored ones the same way.
        // fold_user is the invariant lowercase that the store registers on the migrating connection, because SQLite's
        // lower() folds ASCII only. Two tokens of "Alice" and "alice" become two tokens of one user, as the directory sees it.
        (3, """
            UPDATE tokens SET user_name = fold_user(user_name) WHERE user_name <> fold_user(user_name);
            UPDATE challenges SET user_name = fold_user(user_name) WHERE user_name <> fold_user(user_name);
            """),
        // Issue 11: the once-a-minute cleanup (expire, then delete after the retention) reached its rows by scanning the
        // whole challenge table, holding the single writer for as long as the table was large.
        (4, """
            CREATE INDEX IF NOT EXISTS ix_challenges_expires ON challenges (expires_at);
            """),
        // Issue 7: a locked token unlocks itself failcount_clear_timeout after its last failure, so that failure's time
        // is kept (updated_at also moves on admin changes). Tokens locked before this have none: their updated_at stands in.
        (5, """
            ALTER TABLE tokens ADD COLUMN last_failure_at INTEGER;
            UPDATE tokens SET last_failure_at = updated_at WHERE failcount > 0;
            """),
        // Issue 8 item 11: who changed which token, when. No foreign key: the record of a deleted token stays.
        (6, """
            CREATE TABLE IF NOT EXISTS audit (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                time      INTEGER NOT NULL,
                user_name TEXT NOT NULL,
                os_user   TEXT NOT NULL,
                action    TEXT NOT NULL,
                serial    TEXT,
                detail    TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX IF NOT EXISTS ix_audit_user ON audit (user_name, id);
            """),
        // Issue 9: a token knows the resolver its user came from ('local' for every token before this) and whether it
        // was enrolled by an admin or on a first login (autoenroll). An empty email means "the directory's current
        // address, read at each mail". One auto-enrolled token per user, elected by the index, not by a check-then-insert.
        (7, """
            ALTER TABLE tokens ADD COLUMN resolver TEXT NOT NULL DEFAULT 'local';
            ALTER TABLE tokens ADD COLUMN origin TEXT NOT NULL DEFAULT 'admin';
            CREATE UNIQUE INDEX IF NOT EXISTS ux_tokens_autoenroll ON tokens (user_name, realm) WHERE origin = 'autoenroll';
            """),
    ];
}
