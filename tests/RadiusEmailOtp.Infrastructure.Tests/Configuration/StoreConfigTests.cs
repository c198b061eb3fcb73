using Npgsql;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Infrastructure.Tests.Configuration;

/// <summary>The [store] table and its connection string: the defaults, our password keys, and errors with their line but without the password.</summary>
[TestFixture]
public sealed class StoreConfigTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void MakeDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "reo-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DropDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Without_the_table_the_store_is_sqlite_and_the_node_is_the_host_name()
    {
        var store = Bind("[server]\n", out _)!.Store;
        Assert.That(store.Kind, Is.EqualTo(StoreKind.Sqlite));
        Assert.That(store.Connection, Is.Null);
        Assert.That(store.Node, Is.EqualTo(StoreSettingsBinder.DefaultNode()));
        Assert.That(StoreSettingsBinder.IsValidNode(store.Node), Is.True, store.Node);
    }

    [Test]
    public void A_postgresql_store_reads_host_database_user_and_node()
    {
        var store = Bind("[store]\nkind = \"postgresql\"\nconnection = \"Host=db1,db2;Database=otp;Username=otp;Password=s3cret-pw;Target Session Attributes=primary\"\nnode = \"radius-a\"\n", out _)!.Store;
        Assert.That(store.Kind, Is.EqualTo(StoreKind.Postgresql));
        Assert.That(store.Node, Is.EqualTo("radius-a"));
        var npgsql = new NpgsqlConnectionStringBuilder(store.Connection!.ConnectionString);
        Assert.That((npgsql.Host, npgsql.Database, npgsql.Username, npgsql.Password), Is.EqualTo(("db1,db2", "otp", "otp", "s3cret-pw")));
        Assert.That(npgsql.TargetSessionAttributes, Is.EqualTo("primary"));
        Assert.That(store.Connection.Redacted, Is.EqualTo("Host=db1,db2;Database=otp;Username=otp"));
        Assert.That(store.ToString(), Does.Not.Contain("s3cret-pw"), "a logged StoreSettings shows no password");
    }

    [Test]
    public void Password_file_is_read_relative_to_the_config_file_with_its_newline_trimmed()
    {
        File.WriteAllText(Path.Combine(_dir, "db.secret"), "file-pw\n");
        var store = Bind("[store]\nkind = \"postgresql\"\nconnection = \"Host=127.0.0.1;Port=5433;Database=otp;Username=otp;Password_File=db.secret\"\n", out _)!.Store;
        Assert.That(new NpgsqlConnectionStringBuilder(store.Connection!.ConnectionString).Password, Is.EqualTo("file-pw"));
        Assert.That(store.Connection.Redacted, Is.EqualTo("Host=127.0.0.1;Port=5433;Database=otp;Username=otp"));
        Assert.That(store.Connection.PasswordSource, Is.EqualTo($"Password_File {Path.Combine(_dir, "db.secret")}"));
    }

    [Test]
    public void Password_env_reads_the_variable()
    {
        var variable = "REO_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "env-pw");
        try
        {
            var store = Bind($"[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Username=otp;Password_Env={variable}\"\n", out _)!.Store;
            Assert.That(new NpgsqlConnectionStringBuilder(store.Connection!.ConnectionString).Password, Is.EqualTo("env-pw"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestCase("[store]\nkind = \"mysql\"\n", "t.toml:2: error: [store] kind: \"mysql\" is not one of sqlite, postgresql")]
    [TestCase("[store]\nkind = \"postgresql\"\n", "t.toml:1: error: [store]: connection is required with kind = \"postgresql\"")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"\"\n", "t.toml:3: error: [store] connection: must not be empty")]
    [TestCase("[store]\nconnection = \"Host=db\"\n", "t.toml:2: error: [store] connection: is for kind = \"postgresql\"")]
    [TestCase("[store]\nnode = \"radius a\"\n", "t.toml:2: error: [store] node: \"radius a\" is not a node name")]
    [TestCase("[store]\nnode = \"-a\"\n", "t.toml:2: error: [store] node: \"-a\" is not a node name")]
    [TestCase("[store]\nnodes = \"a\"\n", "t.toml:2: error: [store]: unknown key \"nodes\"")]
    [TestCase("[store]\nkind = \"postgresql\"\n\nconnection = \"Hots=db\"\n", "t.toml:4: error: [store] connection: unknown key \"hots\"")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Port=abc\"\n", "t.toml:3: error: [store] connection: \"port\" has an invalid value")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"Database=otp\"\n", "t.toml:3: error: [store] connection: needs Host=")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Password=a;Password_Env=B\"\n", "t.toml:3: error: [store] connection: give at most one of Password, Password_File and Password_Env")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Password_Env=REO_SURELY_UNSET_VARIABLE\"\n", "t.toml:3: error: [store] connection: Password_Env: the environment variable \"REO_SURELY_UNSET_VARIABLE\" is not set")]
    [TestCase("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Password_File=missing.secret\"\n", "t.toml:3: error: [store] connection: Password_File \"")]
    public void A_wrong_value_is_an_error_with_its_line(string toml, string expected)
    {
        Assert.That(Bind(toml, out var diagnostics), Is.Null);
        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()), Has.Some.StartsWith(expected), string.Join("\n", diagnostics.Items));
    }

    [Test]
    public void An_unreadable_password_file_names_the_file_and_an_invalid_value_is_not_repeated()
    {
        Bind("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Password_File=missing.secret\"\n", out var missing);
        Assert.That(missing.Items.Single(d => d.IsError).Message, Does.Contain(Path.Combine(_dir, "missing.secret")));
        Bind("[store]\nkind = \"postgresql\"\nconnection = \"Host=db;Timeout=sw0rdfish\"\n", out var invalid);
        Assert.That(string.Join("\n", invalid.Items), Does.Not.Contain("sw0rdfish"));
    }

    private AppConfig? Bind(string toml, out ConfigDiagnostics diagnostics)
    {
        var path = Path.Combine(_dir, "t.toml");
        diagnostics = new ConfigDiagnostics(path);
        var config = AppConfigLoader.Bind(path, toml, diagnostics);
        diagnostics = Relabel(diagnostics);
        return config;
    }

    // Messages name the file as given; the tests compare "t.toml:LINE".
    private static ConfigDiagnostics Relabel(ConfigDiagnostics diagnostics)
    {
        var result = new ConfigDiagnostics("t.toml");
        foreach (var item in diagnostics.Items)
        {
            result.Add(item with { File = "t.toml" });
        }

        return result;
    }
}
