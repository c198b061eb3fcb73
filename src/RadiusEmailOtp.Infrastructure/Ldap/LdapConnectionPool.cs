using System.Collections.Concurrent;
using System.DirectoryServices.Protocols;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>
/// Idle connections per URI, in two kinds: bound as the service account (searches) and for users' binds (each check
/// re-binds one of them). A connection is used by one caller at a time; one that failed is disposed, never returned.
/// </summary>
internal sealed class LdapConnectionPool : IDisposable
{
    public const int MaxIdlePerKind = 16;

    private readonly ConcurrentDictionary<(LdapUri Uri, bool Service), ConcurrentBag<LdapConnection>> _idle = new();
    private bool _disposed;

    public bool TryRent(LdapUri uri, bool service, out LdapConnection connection)
    {
        connection = null!;
        return _idle.TryGetValue((uri, service), out var bag) && bag.TryTake(out connection!);
    }

    public void Return(LdapUri uri, bool service, LdapConnection connection)
    {
        var bag = _idle.GetOrAdd((uri, service), _ => []);
        if (Volatile.Read(ref _disposed) || bag.Count >= MaxIdlePerKind)
        {
            connection.Dispose();
            return;
        }

        bag.Add(connection);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        foreach (var bag in _idle.Values)
        {
            while (bag.TryTake(out var connection))
            {
                connection.Dispose();
            }
        }
    }
}
