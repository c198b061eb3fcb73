using Microsoft.Extensions.Logging;

namespace RadiusEmailOtp.Infrastructure.Ldap;

/// <summary>Every log line of the LDAP resolvers, source-generated with stable event ids. No password is ever an argument.</summary>
internal static partial class LdapLog
{
    [LoggerMessage(6001, LogLevel.Warning, "Resolver {Resolver}: {Uri} unavailable: {Cause} (skipped for 30 s){Suppressed}")]
    public static partial void Unavailable(ILogger logger, string resolver, string uri, string cause, string suppressed);

    [LoggerMessage(6002, LogLevel.Warning, "Resolver {Resolver}: tls_verify = false, the directory's certificate is not verified")]
    public static partial void TlsVerifyDisabled(ILogger logger, string resolver);

    [LoggerMessage(6003, LogLevel.Warning, "Resolver {Resolver}: login \"{Login}\" matches more than one entry; treated as unknown")]
    public static partial void Ambiguous(ILogger logger, string resolver, string login);

    [LoggerMessage(6004, LogLevel.Warning, "Resolver {Resolver}: no URI could be asked; the request fails closed")]
    public static partial void AllUnavailable(ILogger logger, string resolver);

    [LoggerMessage(6005, LogLevel.Debug, "Resolver {Resolver}: {Uri} answers again")]
    public static partial void Recovered(ILogger logger, string resolver, string uri);
}
