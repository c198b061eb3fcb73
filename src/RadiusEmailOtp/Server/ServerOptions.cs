namespace RadiusEmailOtp.Server;

/// <summary>The knobs of the request pipeline, taken from <c>[server]</c>.</summary>
internal sealed record ServerOptions(
    int MaxAttributes,
    TimeSpan RejectDelay,
    TimeSpan CleanupDelay,
    int MaxInFlight = 4096);
