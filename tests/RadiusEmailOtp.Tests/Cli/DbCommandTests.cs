using NUnit.Framework;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>db migrate</c> and <c>db copy</c> on a SQLite configuration, in-process (no PostgreSQL needed).</summary>
[NonParallelizable]
public sealed class DbCommandTests : InProcessCliTest
{
    [Test]
    public async Task Db_migrate_on_sqlite_needs_the_database_serve_creates_then_prints_its_version()
    {
        var none = await RunAsync("db", "migrate");
        Assert.That(none.Code, Is.EqualTo(1));
        Assert.That(none.Error.Trim(), Is.EqualTo($"radius-email-otp db: error: no token database at {Path.Combine(DataDir, "radius-email-otp.db")}; serve creates and migrates it at start"));
        Assert.That(Directory.Exists(DataDir), Is.False, "nothing created");

        await EnrollAsync("alice");
        var migrated = await RunAsync("db", "migrate");
        Assert.That(migrated.Code, Is.Zero, migrated.Error);
        Assert.That(migrated.Out, Does.Match(@"^SQLite .+radius-email-otp\.db: schema version [1-9]\d* \(serve migrates it at start too\)\s*$"));
    }

    [TestCase(new[] { "db" }, 2, "missing subcommand: db migrate | db copy")]
    [TestCase(new[] { "db", "vacuum" }, 2, "unknown subcommand \"vacuum\"")]
    [TestCase(new[] { "db", "copy", "--to", "postgresql:" }, 2, "--from")]
    [TestCase(new[] { "db", "copy", "--from", "sqlite:/nonexistent", "--to", "postgresql:" }, 2, "--to postgresql: alone needs [store] kind = \"postgresql\"")]
    public async Task Wrong_use_is_one_line_with_a_non_zero_exit(string[] args, int exit, string expected)
    {
        var (code, _, error) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(exit), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Db_copy_from_a_data_dir_without_a_database_copies_nothing()
    {
        var (code, _, error) = await RunAsync("db", "copy", "--from", "sqlite:" + DataDir, "--to", "postgresql:Host=127.0.0.1;Port=1;Username=u;Password=secret-pw");
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(error, Does.Contain("no token database").And.Contain("nothing copied").And.Not.Contain("secret-pw"));
        Assert.That(Directory.Exists(DataDir), Is.False, "nothing left behind");
    }
}
