using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>backup --to FILE [--force]</c>: a consistent copy of the token database while the server runs, with its key beside
/// it in <c>FILE.key</c> (see <see cref="SqliteBackup"/>). Changes nothing, so it leaves no audit record.
/// </summary>
internal static class BackupCommand
{
    public static readonly CommandHelp Help = new(
        "backup",
        "--to FILE [--force]",
        "Copy the token database to FILE and its key to FILE.key (both 0600) while the server runs; the copy is verified.",
        [
            new("--to FILE", "where the copy goes; FILE.key is written beside it"),
            new("--force", "replace an existing FILE and FILE.key"),
        ]);

    public static Task<int> RunAsync(CommandArgs args)
    {
        var target = args.RequiredOption("to");
        var force = args.Flag("force");
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        SqliteOnly(config, "backup");
        BackupResult result;
        try
        {
            result = SqliteBackup.Backup(config.Server.DataDir, target, force);
        }
        catch (StorageException ex)
        {
            throw new CommandLineException(ex.Message);
        }

        Console.Out.WriteLine($"backed up {Tokens(result.Tokens)} to {result.DatabasePath} (key: {result.KeyPath}); keep both files together, and as private as the key");
        return Task.FromResult(0);
    }

    /// <summary>backup and restore copy the SQLite file; a PostgreSQL store is copied with its own tools (one line, exit 1).</summary>
    internal static void SqliteOnly(Infrastructure.Configuration.AppConfig config, string command)
    {
        if (config.Store.Kind != Infrastructure.Configuration.StoreKind.Sqlite)
        {
            throw new InvalidOperationException(
                $"{command} is for the SQLite store; the PostgreSQL store ({config.Store.Connection}) is backed up with pg_dump and restored with pg_restore (see the README), and each node's encryption.key with it");
        }
    }

    internal static string Tokens(long count) => count == 1 ? "1 token" : $"{count} tokens";
}
