using System.Net;
using System.Text;
using Npgsql;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>
/// Several <c>serve</c> processes ("node-a", "node-b", …) on one fresh PostgreSQL database: each node has its own config
/// file, loopback port and data_dir, all with the same encryption.key (made by the first enrollment, then copied, as an
/// admin distributes it), one shared pickup directory for the mails, and the database password in a Password_File.
/// PostgreSQL or radclient missing: the test is ignored locally and fails in CI.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class MultiNodeDeployment : IAsyncDisposable
{
    public const string Secret = "testing123";

    private readonly TempDirectory _directory;
    private readonly ServerProcess?[] _servers;

    private MultiNodeDeployment(TempDirectory directory, PostgresCluster cluster, string database, IPEndPoint[] endPoints)
    {
        _directory = directory;
        Cluster = cluster;
        Database = database;
        EndPoints = endPoints;
        _servers = new ServerProcess?[endPoints.Length];
        Outbox = new Outbox(directory.Combine("outbox"));
    }

    public PostgresCluster Cluster { get; }

    /// <summary>The superuser's connection string to this deployment's database (password included), for direct checks.</summary>
    public string Database { get; }

    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    /// <summary>Every node's mails.</summary>
    public Outbox Outbox { get; }

    public string Root => _directory.Path;

    public static string NodeName(int node) => $"node-{(char)('a' + node)}";

    /// <summary>
    /// A fresh database and <paramref name="nodes"/> node configurations; <paramref name="emailToken"/> is the body of their
    /// [email_token] table, <paramref name="extraToml"/> more tables after it. <paramref name="portOf"/> may point a node at
    /// another PostgreSQL port (a <see cref="TcpForwarder"/>).
    /// </summary>
    public static async Task<MultiNodeDeployment> CreateAsync(int nodes, string emailToken = "", Func<int, int>? portOf = null, string extraToml = "")
    {
        Radclient.RequireInstalled();
        var cluster = await PostgresCluster.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        var directory = new TempDirectory();
        var endPoints = Enumerable.Range(0, nodes).Select(_ => new IPEndPoint(IPAddress.Loopback, ServerProcess.FreeLoopbackPort())).ToArray();
        var deployment = new MultiNodeDeployment(directory, cluster, database, endPoints);
        File.WriteAllText(directory.Combine("db.secret"), PostgresCluster.Password + "\n");
        for (var i = 0; i < nodes; i++)
        {
            Directory.CreateDirectory(directory.Combine(NodeName(i)));
            File.WriteAllText(deployment.ConfigPath(i), deployment.Config(i, emailToken, portOf?.Invoke(i) ?? cluster.Port) + "\n\n" + extraToml + "\n");
        }

        return deployment;
    }

    public string ConfigPath(int node) => Path.Combine(_directory.Path, NodeName(node), "config.toml");

    public string DataDir(int node) => Path.Combine(_directory.Path, NodeName(node), "data");

    public ServerProcess Server(int node) => _servers[node] ?? throw new InvalidOperationException($"{NodeName(node)} is not running");

    /// <summary>
    /// Enrolls a token through node 0's configuration (the first one creates the key and records its check in the
    /// database), then gives every other node a copy of the key file, mode 0600.
    /// </summary>
    public async Task<string> EnrollAsync(string user, string pin)
    {
        var serial = await TokenCli.EnrollAsync(ConfigPath(0), user, Email(user), pin);
        DistributeKey();
        return serial;
    }

    /// <summary>Copies node 0's encryption.key into every other node's data_dir (created 0700 as serve would).</summary>
    public void DistributeKey()
    {
        var key = Path.Combine(DataDir(0), "encryption.key");
        for (var i = 1; i < _servers.Length; i++)
        {
            var target = Path.Combine(DataDir(i), "encryption.key");
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(DataDir(i), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                File.Copy(key, target);
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    public static string Email(string user) => $"{user}@example.com";

    /// <summary>Starts node <paramref name="node"/> and waits (bounded) until it answers Status-Server.</summary>
    public async Task<ServerProcess> StartAsync(int node)
    {
        _servers[node]?.Dispose();
        _servers[node] = await ServerProcess.StartAsync(ConfigPath(node), EndPoints[node], Secret);
        return _servers[node]!;
    }

    public async Task StartAllAsync()
    {
        for (var i = 0; i < _servers.Length; i++)
        {
            await StartAsync(i);
        }
    }

    /// <summary>SIGKILL: nothing of the node's shutdown runs.</summary>
    public async Task KillAsync(int node)
    {
        await Server(node).KillAsync();
    }

    public Task<RadclientResult> AuthAsync(int node, string user, string password, string? state = null) =>
        Radclient.RunAsync(EndPoints[node], "auth", Secret, Input(user, password, state), timeoutSeconds: 3, retries: 1);

    public static string Input(string user, string password, string? state = null)
    {
        var input = new StringBuilder($"User-Name = \"{user}\"\nUser-Password = \"{password}\"\n");
        if (state is not null)
        {
            input.Append($"State = {state}\n");
        }

        return input.Append("Message-Authenticator = 0x00\n").ToString();
    }

    /// <summary>One value from the database (a count, a status).</summary>
    public async Task<T> QueryAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every node's output, for assertion messages.</summary>
    public string Output => string.Join("\n", _servers.Select((s, i) => $"--- {NodeName(i)}:\n{s?.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server?.Dispose();
        }

        try
        {
            await Cluster.DropDatabaseAsync(Database);
        }
        catch (NpgsqlException)
        {
            // The cluster goes at the end of the run anyway.
        }

        _directory.Dispose();
    }

    /// <summary>The PostgreSQL connection string of a node's config: the password comes from a Password_File, never inline.</summary>
    public string NodeConnection(int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(Database) { Port = port, Password = null, Timeout = 3 };
        return $"{builder.ConnectionString};Password_File={_directory.Combine("db.secret")}";
    }

    private string Config(int node, string emailToken, int port) => $"""
        [server]
        listen = ["127.0.0.1:{EndPoints[node].Port}"]
        dictionary = "{RepoPaths.Dictionary}"
        data_dir = "{DataDir(node)}"
        reject_delay = 0

        [[client]]
        name = "localhost"
        ipaddr = "127.0.0.1"
        secret = "{Secret}"

        [[email_provider]]
        name = "outbox"
        class = "PickupDirectoryEmailProvider"
        default = true
        config = {"{"} DIRECTORY = "{Outbox.Directory}" {"}"}

        [store]
        kind = "postgresql"
        connection = "{NodeConnection(port)}"
        node = "{NodeName(node)}"

        [email_token]
        {emailToken}
        """;
}
