using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// The real server, in this process, on loopback ports chosen by the kernel; its configuration is TOML text
/// exactly as an admin writes it, with a temp data directory.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private TestServer(ServerHost host, AppConfig config, TempDirectory directory, CapturingLoggerProvider log, ILoggerFactory loggerFactory)
    {
        Host = host;
        Config = config;
        Directory = directory;
        Log = log;
        _loggerFactory = loggerFactory;
    }

    public ServerHost Host { get; }

    public AppConfig Config { get; }

    public TempDirectory Directory { get; }

    /// <summary>The config.toml the server was started from, for running the real CLI against the same data dir.</summary>
    public string ConfigPath => Directory.Combine("config.toml");

    public CapturingLoggerProvider Log { get; }

    /// <summary>Where the built-in pickup provider writes the mails when no [[email_provider]] is configured.</summary>
    public Outbox Outbox => new(Path.Combine(Config.Server.DataDir, "outbox"));

    /// <summary>The first listen address.</summary>
    public IPEndPoint EndPoint => Host.LocalEndPoints[0];

    /// <summary>The first accounting address (listen_acct must be set in serverKeys).</summary>
    public IPEndPoint AcctEndPoint => Host.AccountingEndPoints[0];

    public const string DefaultClients = """
        [[client]]
        name = "localhost"
        ipaddr = "127.0.0.1"
        secret = "testing123"
        """;

    /// <summary>Starts a server; <paramref name="extraToml"/> is appended to a [server] table (clients and other sections).</summary>
    public static async Task<TestServer> StartAsync(string extraToml = DefaultClients, string serverKeys = "reject_delay = 0", string[]? listen = null)
    {
        var directory = new TempDirectory();
        var path = directory.Combine("config.toml");
        File.WriteAllText(path, Toml(directory, extraToml, serverKeys));
        var config = AppConfigLoader.Load(path, out var diagnostics)
            ?? throw new InvalidOperationException("test config is invalid:\n" + string.Join('\n', diagnostics.Items));
        var log = new CapturingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(log));
        var endpoints = (listen ?? ["127.0.0.1"]).Select(a => new IPEndPoint(IPAddress.Parse(a), 0)).ToList();
        // listen_acct in serverKeys turns accounting on; its addresses are bound to kernel-chosen ports like listen's.
        var acct = config.Server.ListenAcct.Select(e => new IPEndPoint(e.Address, 0)).ToList();
        var host = await ServerHost.StartAsync(config, loggerFactory, TimeProvider.System, endpoints, acctListenOverride: acct);
        return new TestServer(host, config, directory, log, loggerFactory);
    }

    /// <summary>Rewrites config.toml the way <see cref="StartAsync"/> wrote it (same data_dir), for a reload to read.</summary>
    public void RewriteConfig(string extraToml, string serverKeys = "reject_delay = 0") =>
        File.WriteAllText(ConfigPath, Toml(Directory, extraToml, serverKeys));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _loggerFactory.Dispose();
        Directory.Dispose();
    }

    private static string Toml(TempDirectory directory, string extraToml, string serverKeys) => $"""
        [server]
        dictionary = "{RepoPaths.Dictionary}"
        data_dir = "{directory.Combine("data")}"
        {serverKeys}

        {extraToml}
        """;
}
