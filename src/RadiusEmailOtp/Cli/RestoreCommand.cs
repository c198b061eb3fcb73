using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>restore --from FILE [--force]</c>: puts a backup and its key (<c>FILE.key</c>) into the configured data_dir, with
/// the server stopped (see <see cref="SqliteRestore"/>). Recorded in the restored database's audit trail.
/// </summary>
internal static class RestoreCommand
{
    public static readonly CommandHelp Help = new(
        "restore",
        "--from FILE [--force]",
        "Put a backup (FILE and FILE.key) into data_dir; refused while a server runs on it.",
        [
            new("--from FILE", "the copy made by backup; its key is read from FILE.key"),
            new("--force", "replace the database and key already in data_dir"),
        ]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var source = args.RequiredOption("from");
        var force = args.Flag("force");
        args.EnsureAllUsed();
        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        BackupCommand.SqliteOnly(config, "restore");
        var dataDir = config.Server.DataDir;
        long tokens;
        try
        {
            tokens = await SqliteRestore.RestoreAsync(source, dataDir, force, AuditActor.Entry("restore"), TimeProvider.System, CancellationToken.None);
        }
        catch (DataDirLockedException ex)
        {
            throw new CommandLineException(
                $"a server is running on {dataDir} ({(ex.HolderPid is { } pid ? $"PID {pid}" : "PID unknown")}); stop it first, nothing restored");
        }
        catch (StorageException ex)
        {
            throw new CommandLineException(ex.Message);
        }

        Console.Out.WriteLine($"restored {BackupCommand.Tokens(tokens)} from {Path.GetFullPath(source)} into {dataDir}");
        return 0;
    }
}
