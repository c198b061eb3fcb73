using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Cli;

/// <summary><c>check-config --connect</c>: a PostgreSQL store is reached with the configured credentials and its schema version read.</summary>
internal static class StoreConnectCheck
{
    public static async Task<bool> RunAsync(AppConfig config)
    {
        if (config.Store.Kind != StoreKind.Postgresql)
        {
            return true;
        }

        var name = config.Store.Connection!.Redacted;
        try
        {
            await using var store = OtpStorage.CreatePostgresStore(config.Store, TimeProvider.System);
            var version = await store.SchemaVersionAsync(CancellationToken.None);
            Console.Out.WriteLine(version == 0
                ? $"store: OK (PostgreSQL {name} as node {config.Store.Node}; not migrated yet: serve or db migrate does it)"
                : $"store: OK (PostgreSQL {name} as node {config.Store.Node}, schema version {version})");
            return true;
        }
        catch (Exception ex) when (ex is StoreUnavailableException or StorageException)
        {
            Console.Error.WriteLine($"{config.Path}: error: store: {ex.Message}");
            return false;
        }
    }
}
