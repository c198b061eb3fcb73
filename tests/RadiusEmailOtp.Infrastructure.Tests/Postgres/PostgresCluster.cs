using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using NUnit.Framework;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

/// <summary>
/// A throw-away PostgreSQL cluster for the test run: <c>initdb</c> into a temp directory (as the <c>postgres</c> system
/// user when the tests run as root, since initdb refuses root), listening on 127.0.0.1 on a free port and on a Unix
/// socket in that directory, <c>fsync=off</c> (tests only), started lazily by the first test that asks
/// (<see cref="GetAsync"/>) and shared by all; stopped (<c>pg_ctl stop -m immediate</c>) and deleted by
/// <see cref="StopAsync"/> (a set-up fixture's OneTimeTearDown) or at process exit. A cluster left by a killed test run
/// is stopped by the next one. PostgreSQL missing: the test is ignored locally and fails in CI (environment variable CI set).
/// Each test takes a database of its own (<see cref="CreateDatabaseAsync"/>). The superuser <c>postgres</c> logs in over
/// TCP with <see cref="Password"/> (SCRAM), so a wrong or missing password fails as it would in production.
/// </summary>
public sealed class PostgresCluster
{
    public const string User = "postgres";
    public const string Password = "cluster-test-password";

    private const string DirectoryPrefix = "reo-pg-";
    private const string OwnerFile = "owner.pid";
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static PostgresCluster? s_cluster;
    private static string? s_failure;

    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string directory, string bin, bool asPostgresUser, int port)
    {
        Directory = directory;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The temp directory: the data directory <c>data</c>, the server log, and the Unix socket.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The directory of the Unix socket (<c>Host=</c> this for a socket connection).</summary>
    public string SocketDirectory => Directory;

    /// <summary>The superuser's connection string to the <c>postgres</c> database, over TCP.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The cluster of this test run, started on first use; ignores (locally) or fails (CI) the test when PostgreSQL is missing.</summary>
    public static async Task<PostgresCluster> GetAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (s_cluster is not null)
            {
                return s_cluster;
            }

            if (s_failure is null)
            {
                var bin = FindBinaries();
                if (bin is null)
                {
                    Skip("PostgreSQL not installed (apt-get install postgresql): initdb and pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin");
                }

                var asPostgres = Environment.UserName == "root";
                if (asPostgres && !File.Exists("/usr/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
                {
                    Skip("running as root, and runuser is missing to run initdb as the postgres user");
                }

                StopAbandonedClusters(bin!, asPostgres);
                try
                {
                    s_cluster = await StartAsync(bin!, asPostgres);
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => s_cluster?.Stop();
                    return s_cluster;
                }
                catch (Exception ex) when (ex is not ResultStateException)
                {
                    s_failure = ex.Message;
                }
            }

            Assert.Fail($"the test PostgreSQL cluster did not start: {s_failure}");
            return null!;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>Stops and deletes the cluster, if one was started (OneTimeTearDown).</summary>
    public static async Task StopAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            s_cluster?.Stop();
            s_cluster = null;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns the superuser's connection string to it (TCP, password).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY;", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its connections first.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The superuser's connection string to <paramref name="database"/> over TCP (password, SCRAM).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Timeout = 10,
        CommandTimeout = 30,
    }.ConnectionString;

    private static async Task<PostgresCluster> StartAsync(string bin, bool asPostgres)
    {
        var directory = Path.Combine(asPostgres ? "/tmp" : Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var passwordFile = Path.Combine(directory, "pwfile");
        File.WriteAllText(passwordFile, Password + "\n");
        if (asPostgres)
        {
            await RunAsync("/bin/chown", false, "-R", "postgres:postgres", directory);
        }

        var data = Path.Combine(directory, "data");
        var probe = new PostgresCluster(directory, bin, asPostgres, 0);
        await probe.RunPostgresToolAsync(
            "initdb", "-D", data, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--no-locale", "--no-sync");
        File.Delete(passwordFile);

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var cluster = new PostgresCluster(directory, bin, asPostgres, port);
            var options = string.Join(' ',
                "-c listen_addresses=127.0.0.1", $"-c port={port}", $"-c unix_socket_directories={directory}", "-c fsync=off",
                "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=300", "-c shared_buffers=32MB");
            try
            {
                await cluster.RunPostgresToolAsync("pg_ctl", "-D", data, "-l", Path.Combine(directory, "server.log"), "-o", options, "-w", "-t", "60", "start");
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The free port was taken between the probe and the start: try another.
            }
        }
    }

    private void Stop()
    {
        try
        {
            RunPostgresToolAsync("pg_ctl", "-D", Path.Combine(Directory, "data"), "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Not running (any more); the directory goes either way.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Clusters of test runs that were killed before they could stop theirs: the owner process is gone.
    private static void StopAbandonedClusters(string bin, bool asPostgres)
    {
        var root = asPostgres ? "/tmp" : Path.GetTempPath();
        foreach (var directory in System.IO.Directory.EnumerateDirectories(root, DirectoryPrefix + "*"))
        {
            var owner = Path.Combine(directory, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), CultureInfo.InvariantCulture, out var pid) || ProcessExists(pid))
            {
                continue;
            }

            new PostgresCluster(directory, bin, asPostgres, 0).Stop();
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private Task RunPostgresToolAsync(string tool, params string[] args)
    {
        var file = Path.Combine(_bin, tool);
        return _asPostgresUser ? RunAsync("runuser", true, ["-u", "postgres", "--", file, .. args]) : RunAsync(file, true, args);
    }

    private static async Task RunAsync(string file, bool quiet, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // runuser keeps the caller's working directory; the postgres user may not be able to enter it.
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Take(quiet ? 4 : args.Length))} exited {process.ExitCode}: {await stdout} {await stderr}".Trim());
        }
    }

    private static string? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        var versioned = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return path.Concat(versioned).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Skip(string message)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + "; CI requires it");
        }

        Assert.Ignore(message);
    }
}
