using System.Diagnostics;

namespace RadiusLoadClient;

/// <summary>Keeps a fixed number of requests in flight: each worker sends its next request as soon as the last one ends.</summary>
internal static class ClosedLoopRunner
{
    public static async Task<StepMeasurement> RunAsync(
        RadiusTransport transport, IReadOnlyList<RequestSpec> requests, int parallel, Action<RequestSpec, RequestResult>? onResult, int? serverPid = null)
    {
        var stats = new StepStats(requests.Count);
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverBefore = ProcessCpu.Read(serverPid);
        var started = Stopwatch.GetTimestamp();

        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests.Count)
            {
                var spec = requests[index];
                var result = await transport.SendAsync(spec);
                stats.Add(result);
                onResult?.Invoke(spec, result);
            }
        }

        var workers = new Task[Math.Max(1, Math.Min(parallel, requests.Count))];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(WorkerAsync);
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new StepMeasurement(stats, elapsed, cpu) { ServerCpu = ProcessCpu.Read(serverPid) - serverBefore };
    }
}
