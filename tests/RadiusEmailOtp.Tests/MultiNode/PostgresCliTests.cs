using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// The commands on a PostgreSQL store: <c>db migrate</c> (twice at once: one schema), <c>db copy</c> from a SQLite
/// deployment (then a login works on PostgreSQL with the copied key), backup refused with the pg_dump hint.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresCliTests
{
    [Test]
    public async Task Db_migrate_twice_at_once_migrates_once_and_prints_the_version()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2);
        var runs = await Task.WhenAll(Run(deployment.ConfigPath(0), "db", "migrate"), Run(deployment.ConfigPath(1), "db", "migrate"));
        foreach (var (exit, stdout, stderr) in runs)
        {
            Assert.That(exit, Is.Zero, stderr);
            Assert.That(stdout, Does.Match(@"^PostgreSQL Host=127\.0\.0\.1;Port=\d+;Database=t_\w+;Username=postgres: schema version \d+\s*$"));
            Assert.That(stdout + stderr, Does.Not.Contain(PostgresCluster.Password));
        }

        var versions = await deployment.QueryAsync<long>("SELECT COUNT(*) FROM schema_version");
        Assert.That(versions, Is.EqualTo(await deployment.QueryAsync<long>("SELECT MAX(version) FROM schema_version")), "each version applied once");
        var again = await Run(deployment.ConfigPath(0), "db", "migrate");
        Assert.That(again.Stdout, Is.EqualTo(runs[0].Stdout), "a migrated database stays as it is");
    }

    [Test]
    public async Task Backup_and_restore_on_postgresql_exit_1_with_one_line_naming_pg_dump()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(1);
        var backup = await Run(deployment.ConfigPath(0), "backup", "--to", Path.Combine(deployment.Root, "copy.db"));
        Assert.That(backup.ExitCode, Is.EqualTo(1));
        Assert.That(backup.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(backup.Stderr, Does.Contain("pg_dump").And.Contain("Host=127.0.0.1").And.Not.Contain(PostgresCluster.Password));
        var restore = await Run(deployment.ConfigPath(0), "restore", "--from", Path.Combine(deployment.Root, "copy.db"));
        Assert.That(restore.ExitCode, Is.EqualTo(1));
        Assert.That(restore.Stderr, Does.Contain("pg_restore"));
    }

    [Test]
    public async Task Db_copy_moves_a_sqlite_deployment_and_its_users_log_in_on_postgresql()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(1);
        var sqliteConfig = Path.Combine(deployment.Root, "sqlite", "config.toml");
        var sqliteData = Path.Combine(deployment.Root, "sqlite", "data");
        Directory.CreateDirectory(Path.GetDirectoryName(sqliteConfig)!);
        File.WriteAllText(sqliteConfig, $"""
            [server]
            dictionary = "{RepoPaths.Dictionary}"
            data_dir = "{sqliteData}"
            """);
        var serial = await TokenCli.EnrollAsync(sqliteConfig, "alice", MultiNodeDeployment.Email("alice"), "4711");
        await TokenCli.EnrollAsync(sqliteConfig, "bob", MultiNodeDeployment.Email("bob"), "4712");
        SetCounterAndFailcount(Path.Combine(sqliteData, "radius-email-otp.db"), serial, counter: 17, failcount: 2);

        var notMigrated = await Run(deployment.ConfigPath(0), "db", "copy", "--from", "sqlite:" + sqliteData, "--to", "postgresql:");
        Assert.That(notMigrated.ExitCode, Is.EqualTo(1), notMigrated.Stderr);
        Assert.That(notMigrated.Stderr, Does.Contain("db migrate").And.Contain("nothing copied"));

        Assert.That((await Run(deployment.ConfigPath(0), "db", "migrate")).ExitCode, Is.Zero);
        var copy = await Run(deployment.ConfigPath(0), "db", "copy", "--from", "sqlite:" + sqliteData, "--to", "postgresql:");
        Assert.That(copy.ExitCode, Is.Zero, copy.Stderr);
        Assert.That(copy.Stdout, Does.Contain("copied 2 tokens").And.Contain("encryption.key").And.Contain("every node"));
        Assert.That(await deployment.QueryAsync<long>($"SELECT counter FROM tokens WHERE serial = '{serial}'"), Is.EqualTo(17));
        Assert.That(await deployment.QueryAsync<long>($"SELECT failcount FROM tokens WHERE serial = '{serial}'"), Is.EqualTo(2));
        Assert.That(await deployment.QueryAsync<long>("SELECT COUNT(*) FROM audit"), Is.EqualTo(2), "the enrollments' audit records");
        Assert.That(await deployment.QueryAsync<long>("SELECT COUNT(*) FROM store_meta WHERE key = 'key_check'"), Is.EqualTo(1));

        var again = await Run(deployment.ConfigPath(0), "db", "copy", "--from", "sqlite:" + sqliteData, "--to", "postgresql:" + deployment.NodeConnection(deployment.Cluster.Port));
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Stderr, Does.Contain("not empty"));

        // The key goes with the data: the SQLite deployment's key file on the PostgreSQL node, and the copied seed works.
        Directory.CreateDirectory(deployment.DataDir(0), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(sqliteData, "encryption.key"), Path.Combine(deployment.DataDir(0), "encryption.key"));
        await deployment.StartAsync(0);
        var challenge = await deployment.AuthAsync(0, "alice", "4711");
        Assert.That(challenge.ReplyCode, Is.EqualTo("Access-Challenge"), challenge + deployment.Output);
        var otp = await deployment.Outbox.WaitForOtpAsync(1);
        var accept = await deployment.AuthAsync(0, "alice", otp, challenge.Attribute("State"));
        Assert.That(accept.ReplyCode, Is.EqualTo("Access-Accept"), accept + deployment.Output);
        Assert.That(await deployment.QueryAsync<long>($"SELECT counter FROM tokens WHERE serial = '{serial}'"), Is.EqualTo(18), "the copied counter went on");
    }

    [Test]
    public async Task A_node_without_the_key_or_with_another_key_is_refused_with_one_line()
    {
        await using var deployment = await MultiNodeDeployment.CreateAsync(2);
        await TokenCli.EnrollAsync(deployment.ConfigPath(0), "alice", MultiNodeDeployment.Email("alice"), "4711");
        var missing = await Run(deployment.ConfigPath(1), "token", "list");
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.Stderr, Does.Contain("encryption.key is missing").And.Contain("copy it from another node"));
        Assert.That(File.Exists(Path.Combine(deployment.DataDir(1), "encryption.key")), Is.False, "no key is made beside a database that has one");

        Directory.CreateDirectory(deployment.DataDir(1), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var foreign = Path.Combine(deployment.DataDir(1), "encryption.key");
        File.WriteAllBytes(foreign, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(foreign, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var wrong = await Run(deployment.ConfigPath(1), "token", "list");
        Assert.That(wrong.ExitCode, Is.Not.Zero);
        Assert.That(wrong.Stderr, Does.Contain("does not belong to the database Host=127.0.0.1"));
        Assert.That(wrong.Stderr, Does.Not.Contain(PostgresCluster.Password));

        File.Copy(Path.Combine(deployment.DataDir(0), "encryption.key"), foreign, overwrite: true);
        var listed = await Run(deployment.ConfigPath(1), "token", "list");
        Assert.That(listed.ExitCode, Is.Zero, listed.Stderr);
        Assert.That(listed.Stdout, Does.Contain("alice"));
    }

    [Test]
    public async Task Check_config_connect_reaches_the_database_or_says_why_not()
    {
        var cluster = await PostgresCluster.GetAsync();
        await using var down = new TcpForwarder(cluster.Port);
        await using var deployment = await MultiNodeDeployment.CreateAsync(2, portOf: node => node == 0 ? cluster.Port : down.Port);
        var fresh = await Run(deployment.ConfigPath(0), "check-config", "--connect");
        Assert.That(fresh.ExitCode, Is.Zero, fresh.Stderr);
        Assert.That(fresh.Stdout, Does.Contain("store: OK (PostgreSQL Host=127.0.0.1;").And.Contain("as node node-a; not migrated yet"));
        await Run(deployment.ConfigPath(0), "db", "migrate");
        var migrated = await Run(deployment.ConfigPath(0), "check-config", "--connect");
        Assert.That(migrated.Stdout, Does.Match("as node node-a, schema version [1-9]"));

        var unreachable = await Run(deployment.ConfigPath(1), "check-config", "--connect");
        Assert.That(unreachable.ExitCode, Is.EqualTo(1));
        Assert.That(unreachable.Stderr, Does.Contain("error: store: ").And.Contain($"127.0.0.1:{down.Port}").And.Not.Contain(PostgresCluster.Password));
    }

    [Test]
    public async Task Db_copy_checks_its_arguments_without_printing_a_password()
    {
        using var directory = new TempDirectory();
        var wrongFrom = await Run(directory.Combine("none.toml"), "db", "copy", "--from", "mysql:/x", "--to", "postgresql:Host=db;Password=hunter22");
        Assert.That(wrongFrom.ExitCode, Is.EqualTo(2));
        Assert.That(wrongFrom.Stderr, Does.Contain("--from must be sqlite:DATA_DIR"));
        var wrongTo = await Run(directory.Combine("none.toml"), "db", "copy", "--from", "sqlite:/x", "--to", "mysql:Host=db;Password=hunter22");
        Assert.That(wrongTo.ExitCode, Is.EqualTo(2));
        Assert.That(wrongTo.Stderr, Does.Contain("--to must be postgresql:CONN").And.Not.Contain("hunter22"));
        var badKey = await Run(directory.Combine("none.toml"), "db", "copy", "--from", "sqlite:/x", "--to", "postgresql:Hots=db;Password=hunter22");
        Assert.That(badKey.Stderr, Does.Contain("unknown key \"hots\"").And.Not.Contain("hunter22"));
    }

    private static void SetCounterAndFailcount(string database, string serial, long counter, long failcount)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE tokens SET counter = $counter, failcount = $failcount WHERE serial = $serial;";
        command.Parameters.AddWithValue("$counter", counter);
        command.Parameters.AddWithValue("$failcount", failcount);
        command.Parameters.AddWithValue("$serial", serial);
        Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(string configPath, params string[] args) =>
        CliProcess.RunAsync(Path.GetDirectoryName(configPath)!, [.. args, "--config", configPath]);
}
