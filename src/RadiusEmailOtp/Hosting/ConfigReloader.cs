using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Configuration.Toml;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Radius.Dictionary;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Hosting;

/// <summary>
/// SIGHUP's work: re-reads the whole configuration with the loader <c>serve</c> starts with and, only when it has no
/// error, swaps for new requests the client table (secrets included) and the engine's configuration (token and realm
/// settings, policies, providers, templates). Requests in progress finish on what they started with; the replaced
/// providers (SMTP connection pools) are closed once the last request and delivery using them is done, or after
/// <see cref="RetireGrace"/>. <c>[server]</c> keys bound to the process (sockets, data_dir, dictionary, the request
/// pipeline's knobs) are reported as needing a restart and not applied. One reload at a time.
/// </summary>
internal sealed class ConfigReloader : IAsyncDisposable
{
    /// <summary>Longest wait for the old providers' last delivery: past every provider timeout (connect + read) in practice.</summary>
    public static readonly TimeSpan RetireGrace = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _retiring = [];
    private readonly OtpEngine _engine;
    private readonly ClientRegistry _clients;
    private readonly OtpAccessRequestHandler _handler;
    private readonly RadiusDictionary _dictionary;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ServerSettings _startedServer;
    private readonly Meter? _meter;
    private EmailServices _email;
    private DirectoryServices _directories;
    private readonly Infrastructure.Storage.OtpStorage _storage;
    private TomlTableNode? _toml;
    private AppConfig _current;
    private bool _disposed;

    public ConfigReloader(
        AppConfig config,
        EmailServices email,
        DirectoryServices directories,
        Infrastructure.Storage.OtpStorage storage,
        OtpEngine engine,
        ClientRegistry clients,
        OtpAccessRequestHandler handler,
        RadiusDictionary dictionary,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        ILogger logger,
        Meter? meter = null)
    {
        _meter = meter;
        _handler = handler;
        _dictionary = dictionary;
        _current = config;
        _startedServer = config.Server;
        _email = email;
        _directories = directories;
        _storage = storage;
        _engine = engine;
        _clients = clients;
        _loggerFactory = loggerFactory;
        _time = time;
        _logger = logger;
        _toml = ReadTree(config.Path);
    }

    public event Action? ReloadStarting;

    public event Action<AppConfig, AppConfig>? ConfigApplied;

    public AppConfig Current => Volatile.Read(ref _current);

    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReloadLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_retiring).ConfigureAwait(false);
            await _email.DisposeAsync().ConfigureAwait(false);
            _directories.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> ReloadLockedAsync()
    {
        if (_disposed)
        {
            return false;
        }

        var path = _current.Path;
        RunHook(() => ReloadStarting?.Invoke());
        HostLog.Reloading(_logger, path);
        var next = KeepDataDir(AppConfigLoader.Load(path, out var diagnostics));
        foreach (var diagnostic in diagnostics.Items)
        {
            if (diagnostic.IsError)
            {
                HostLog.ReloadError(_logger, diagnostic.ToString());
            }
            else
            {
                HostLog.ReloadWarning(_logger, diagnostic.ToString());
            }
        }

        if (next is null)
        {
            HostLog.ReloadRejected(_logger, diagnostics.Items.Count(d => d.IsError), path);
            return false;
        }

        EmailServices email;
        DirectoryServices directories;
        ReplyAttributeResolver replyAttributes;
        try
        {
            // Templates and certificate files are read here: one that vanished refuses the reload, as it would the start.
            replyAttributes = new ReplyAttributeResolver(next.Policies, next.Clients, _dictionary);
            email = EmailServices.Create(next, _loggerFactory, _time, _meter);
            directories = DirectoryServices.Create(next, _storage.Store, _storage.Protector, _loggerFactory, _time);
        }
        catch (Exception ex)
        {
            HostLog.ReloadFailed(_logger, ex.Message);
            return false;
        }

        var toml = ReadTree(path);
        var changes = ConfigChanges.Compute(_current, _toml, _startedServer, next, toml);
        var previousEngine = _engine.Configuration;
        var previousEmail = _email;
        var previousDirectories = _directories;
        var previous = _current;

        // The [server] values of the running process stay: only a restart moves sockets, data_dir or the pipeline; the
        // store ([store]) too.
        var applied = next with { Server = _startedServer, Store = previous.Store };
        _clients.Replace(next.Clients);
        _handler.ReplyAttributes = replyAttributes;
        _engine.Reconfigure(directories.EngineConfiguration(next, email));
        Volatile.Write(ref _email, email);
        _directories = directories;
        _toml = toml;
        Volatile.Write(ref _current, applied);
        _retiring.RemoveAll(t => t.IsCompleted);
        _retiring.Add(RetireAsync(previousEngine, previousEmail, previousDirectories, email));

        foreach (var (key, line) in changes.NeedRestart)
        {
            HostLog.NeedsRestart(_logger, path, line, key);
        }

        HostLog.Reloaded(_logger, path, changes.Summary, next.Clients.Count, next.EmailProviders.Count, next.Policies.Count);
        RunHook(() => ConfigApplied?.Invoke(previous, applied));
        return true;
    }

    /// <summary>
    /// data_dir needs a restart, so the outbox inside it stays where it is too: a pickup provider without a DIRECTORY of
    /// its own (the built-in one included) keeps writing to the running data_dir's outbox.
    /// </summary>
    private AppConfig? KeepDataDir(AppConfig? next)
    {
        if (next is null || next.Server.DataDir == _startedServer.DataDir)
        {
            return next;
        }

        var newOutbox = Path.Combine(next.Server.DataDir, "outbox");
        var runningOutbox = Path.Combine(_startedServer.DataDir, "outbox");
        return next with
        {
            EmailProviders = [.. next.EmailProviders.Select(p => p.PickupDirectory == newOutbox ? p with { PickupDirectory = runningOutbox } : p)],
        };
    }

    // A failing hook (say, a log file that cannot be reopened) must not stop the reload or the server.
    private void RunHook(Action hook)
    {
        try
        {
            hook();
        }
        catch (Exception ex)
        {
            HostLog.ReloadHookFailed(_logger, ex);
        }
    }

    private async Task RetireAsync(EngineConfiguration configuration, EmailServices email, DirectoryServices directories, EmailServices successor)
    {
        try
        {
            await configuration.Retired.WaitAsync(RetireGrace, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // A delivery still running past the grace period (or shutdown) fails over or fails; the pools close anyway.
        }

        await email.DisposeAsync().ConfigureAwait(false);
        directories.Dispose();

        // The outbox clean-up removes every temp file: it starts for the new providers only once the old ones wrote
        // their last, and only if no later reload replaced them meanwhile (that one's retirement starts its own).
        if (!_stopping.IsCancellationRequested && ReferenceEquals(Volatile.Read(ref _email), successor))
        {
            successor.StartMaintenance(_logger);
        }
    }

    // The TOML tree is only for telling which providers and policies changed; the loader has already validated the file.
    private static TomlTableNode? ReadTree(string path)
    {
        try
        {
            return TomlDocumentReader.Read(File.ReadAllText(path), new ConfigDiagnostics(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
