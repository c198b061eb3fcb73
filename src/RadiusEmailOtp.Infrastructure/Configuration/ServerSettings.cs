using System.Net;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The validated <c>[server]</c> table. Relative paths are relative to the working directory.</summary>
public sealed record ServerSettings(
    IReadOnlyList<IPEndPoint> Listen,
    string Dictionary,
    string DataDir,
    TimeSpan CleanupDelay,
    TimeSpan RejectDelay,
    int MaxAttributes,
    BlastRadiusPolicy RequireMessageAuthenticator,
    BlastRadiusPolicy LimitProxyState,
    string? ClientsConf);
