using System.Net;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The validated <c>[server]</c> table. Paths are absolute: relative ones in the file were resolved against the config file's directory. <see cref="MaxRequestTime"/>
/// is FreeRADIUS's <c>max_request_time</c>: a request not started by then is dropped, as its answer would come too late.
/// </summary>
public sealed record ServerSettings(
    IReadOnlyList<IPEndPoint> Listen,
    string Dictionary,
    string DataDir,
    TimeSpan CleanupDelay,
    TimeSpan RejectDelay,
    int MaxAttributes,
    BlastRadiusPolicy RequireMessageAuthenticator,
    BlastRadiusPolicy LimitProxyState,
    string? ClientsConf,
    TimeSpan MaxRequestTime)
{
    /// <summary>Where Accounting-Requests are taken (RFC 2866); empty: no accounting port.</summary>
    public IReadOnlyList<IPEndPoint> ListenAcct { get; init; } = [];

    /// <summary>A FreeRADIUS <c>detail</c> file every Accounting-Request is appended to; null: none.</summary>
    public string? AcctLog { get; init; }
}
