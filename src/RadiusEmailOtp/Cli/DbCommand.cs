using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>db migrate</c>: brings the configured store's schema up to date and prints its version (serve does the same at
/// start). <c>db copy --from sqlite:DATA_DIR --to postgresql:[CONN]</c>: moves a SQLite deployment into a new PostgreSQL
/// database (see <see cref="SqliteToPostgresCopy"/>).
/// </summary>
internal static class DbCommand
{
    public static readonly CommandHelp Help = new(
        "db",
        "migrate | copy --from sqlite:DATA_DIR --to postgresql:[CONN]",
        "Migrate the configured store's schema, or copy a SQLite deployment into PostgreSQL.",
        [])
    {
        Subcommands =
        [
            new(
                "db migrate",
                string.Empty,
                "Apply the schema migrations the configured store lacks and print its schema version (serve also migrates at start; two at once migrate once).",
                []),
            new(
                "db copy",
                "--from sqlite:DATA_DIR --to postgresql:[CONN]",
                "Copy tokens (counters, failcounts, encrypted seeds), challenges, the audit trail and the key check of a stopped SQLite deployment into a migrated, empty PostgreSQL database.",
                [
                    new("--from sqlite:DATA_DIR", "the SQLite deployment's data_dir (its server stopped); its encryption.key must then go to every node"),
                    new("--to postgresql:[CONN]", "a connection string (Password_File and Password_Env work as in [store]); empty: the configured [store] connection"),
                ]),
        ],
    };

    private const string SqlitePrefix = "sqlite:";
    private const string PostgresPrefix = "postgresql:";

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var sub = args.Positional.Count > 0 ? args.Positional[0] : throw new CommandLineException("missing subcommand: db migrate | db copy");
        if (args.Positional.Count > 1)
        {
            throw new CommandLineException($"unexpected argument \"{args.Positional[1]}\"");
        }

        return sub switch
        {
            "migrate" => await MigrateAsync(args),
            "copy" => await CopyAsync(args),
            _ => throw new CommandLineException($"unknown subcommand \"{sub}\": db migrate | db copy"),
        };
    }

    private static async Task<int> MigrateAsync(CommandArgs args)
    {
        args.EnsureAllUsed(allowPositional: true);
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        try
        {
            var (database, version) = await OtpStorage.MigrateAsync(config.Store, config.Server.DataDir, TimeProvider.System, CancellationToken.None);
            Console.Out.WriteLine(config.Store.Kind == StoreKind.Sqlite
                ? $"SQLite {database}: schema version {version} (serve migrates it at start too)"
                : $"PostgreSQL {database}: schema version {version}");
        }
        catch (StorageException ex)
        {
            throw new InvalidOperationException(ex.Message);
        }

        return 0;
    }

    private static async Task<int> CopyAsync(CommandArgs args)
    {
        var from = args.RequiredOption("from");
        var to = args.RequiredOption("to");
        args.EnsureAllUsed(allowPositional: true);
        if (!from.StartsWith(SqlitePrefix, StringComparison.Ordinal) || from.Length == SqlitePrefix.Length)
        {
            throw new CommandLineException($"--from must be {SqlitePrefix}DATA_DIR (the SQLite deployment's data_dir), not \"{from}\"");
        }

        if (!to.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            // Not echoed: it may hold a password.
            throw new CommandLineException($"--to must be {PostgresPrefix}CONN (a PostgreSQL connection string) or {PostgresPrefix} alone (the configured one)");
        }

        var dataDir = Path.GetFullPath(from[SqlitePrefix.Length..]);
        var target = Target(args, to[PostgresPrefix.Length..]);
        IReadOnlyDictionary<string, long> counts;
        try
        {
            counts = await SqliteToPostgresCopy.CopyAsync(dataDir, target, TimeProvider.System, CancellationToken.None);
        }
        catch (DataDirLockedException ex)
        {
            throw new InvalidOperationException(
                $"a server is running on {dataDir} ({(ex.HolderPid is { } pid ? $"PID {pid}" : "PID unknown")}); stop it first so that nothing changes during the copy, nothing copied");
        }
        catch (StorageException ex)
        {
            throw new InvalidOperationException($"{ex.Message}; nothing copied");
        }

        Console.Out.WriteLine(
            $"copied {counts["tokens"]} tokens, {counts["challenges"]} challenges and {counts["audit"]} audit records from {dataDir} to {target.Connection!.Redacted}");
        Console.Out.WriteLine(
            $"the seeds stay encrypted with {Path.Combine(dataDir, "encryption.key")}: copy that file (mode 0600) to data_dir/encryption.key on every node before starting them");
        return 0;
    }

    private static StoreSettings Target(CommandArgs args, string connection)
    {
        if (connection.Length == 0)
        {
            var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
            return config.Store.Kind == StoreKind.Postgresql
                ? config.Store
                : throw new CommandLineException($"--to {PostgresPrefix} alone needs [store] kind = \"postgresql\" in {config.Path}; give the connection string instead");
        }

        try
        {
            return new StoreSettings(StoreKind.Postgresql, PostgresConnectionString.Parse(connection, Path.GetFullPath), SqliteToPostgresCopy.CopiedNode);
        }
        catch (FormatException ex)
        {
            throw new CommandLineException($"--to: {ex.Message}");
        }
    }
}
