using System.Net;

namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>The validated <c>[metrics]</c> table: where <c>/metrics</c> and <c>/healthz</c> are served; null: nowhere.</summary>
public sealed record MetricsSettings(IPEndPoint? Listen)
{
    public static MetricsSettings Off { get; } = new((IPEndPoint?)null);
}
