using System.Diagnostics;

namespace RadiusLoadClient;

/// <summary>
/// Open loop: request i leaves at start + i / rate whatever the replies do (a dedicated thread keeps the schedule),
/// so a slow server meets a growing backlog, as with a crowd of users at 9:00. Each request waits for its reply
/// until the transport's timeout (the window) and is unanswered after that.
/// </summary>
internal static class StormRunner
{
    public static async Task<StormMeasurement> RunAsync(
        RadiusTransport transport, IReadOnlyList<RequestSpec> requests, double rate, Action<RequestSpec, RequestResult>? onResult, int? serverPid)
    {
        var stats = new StepStats(requests.Count);
        var tasks = new Task[requests.Count];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverBefore = ProcessCpu.Read(serverPid);
        var started = Stopwatch.GetTimestamp();
        long lastReply = started;
        var maxLagTicks = 0L;

        var sender = new Thread(() =>
        {
            var sent = 0;
            while (sent < requests.Count)
            {
                var now = Stopwatch.GetTimestamp();
                var due = Math.Min(requests.Count, (long)((now - started) * rate / Stopwatch.Frequency) + 1);
                for (; sent < due; sent++)
                {
                    var scheduled = started + (long)(sent * Stopwatch.Frequency / rate);
                    maxLagTicks = Math.Max(maxLagTicks, Stopwatch.GetTimestamp() - scheduled);
                    var spec = requests[sent];
                    tasks[sent] = transport.SendAsync(spec).ContinueWith(
                        t =>
                        {
                            stats.Add(t.Result);
                            onResult?.Invoke(spec, t.Result);
                            if (t.Result.Outcome != ReplyOutcome.Unanswered)
                            {
                                InterlockedMax(ref lastReply, Stopwatch.GetTimestamp());
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "storm sender", Priority = ThreadPriority.AboveNormal };
        sender.Start();
        await Task.Run(sender.Join);
        var sendElapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(tasks);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var serverCpu = ProcessCpu.Read(serverPid) - serverBefore;
        var answeredElapsed = Stopwatch.GetElapsedTime(started, Interlocked.Read(ref lastReply));
        return new StormMeasurement(
            new StepMeasurement(stats, answeredElapsed, cpu) { ServerCpu = serverCpu }, sendElapsed, TimeSpan.FromSeconds(maxLagTicks / (double)Stopwatch.Frequency));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
