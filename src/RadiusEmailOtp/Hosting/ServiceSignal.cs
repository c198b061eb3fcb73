namespace RadiusEmailOtp.Hosting;

/// <summary>What a signal asks the running server to do.</summary>
internal enum ServiceSignal
{
    /// <summary>SIGTERM, SIGINT: finish the requests in progress and exit.</summary>
    Stop,

    /// <summary>SIGHUP: re-read the configuration.</summary>
    Reload,

    /// <summary>SIGUSR1: log the counters.</summary>
    Statistics,

    /// <summary>SIGUSR2: nothing (it must not kill the process).</summary>
    Ignored,
}
