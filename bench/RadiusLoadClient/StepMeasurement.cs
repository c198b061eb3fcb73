using System.Globalization;
using System.Text;

namespace RadiusLoadClient;

/// <summary>A finished step: its counts and latencies, wall time, and the CPU time this process used meanwhile.</summary>
internal sealed record StepMeasurement(StepStats Stats, TimeSpan Elapsed, TimeSpan ClientCpu)
{
    /// <summary>The server's CPU time over the step, when its process id was given (--server-pid).</summary>
    public TimeSpan? ServerCpu { get; init; }

    public double RequestsPerSecond => Elapsed.TotalSeconds > 0 ? Stats.Answered / Elapsed.TotalSeconds : 0;

    public double ClientCpuMicrosecondsPerRequest => Stats.Sent > 0 ? ClientCpu.TotalMicroseconds / Stats.Sent : 0;

    /// <summary>The client's CPU time over the wall time: 1.0 is one core kept busy.</summary>
    public double ClientCores => Elapsed.TotalSeconds > 0 ? ClientCpu.TotalSeconds / Elapsed.TotalSeconds : 0;

    /// <summary>The step's one line: rate, latency percentiles, counts, and the client's own CPU per request.</summary>
    public string Line(string label)
    {
        var p = Stats.PercentilesMs(0.50, 0.95, 0.99, 1.0);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{label}: {RequestsPerSecond:F0} requests/s, ");
        line.Append(CultureInfo.InvariantCulture, $"p50 {StepStats.Ms(p[0])} ms, p95 {StepStats.Ms(p[1])} ms, p99 {StepStats.Ms(p[2])} ms (max {StepStats.Ms(p[3])}); ");
        line.Append(CultureInfo.InvariantCulture, $"{Stats.Sent} sent in {Elapsed.TotalSeconds:F2} s: {Stats.Describe()}; ");
        line.Append(CultureInfo.InvariantCulture, $"client CPU {ClientCpuMicrosecondsPerRequest:F0} µs/request ({ClientCores * 100:F0}% of a core)");
        if (ServerCpu is { } server && Stats.Sent > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $", server CPU {server.TotalMicroseconds / Stats.Sent:F0} µs/request ({server.TotalSeconds / Elapsed.TotalSeconds * 100:F0}% of a core)");
        }

        return line.ToString();
    }

    /// <summary>Shell-readable figures (key=value lines) for the script's ratios.</summary>
    public void WriteResult(string? path, IEnumerable<(string Key, string Value)>? extra = null)
    {
        if (path is null)
        {
            return;
        }

        var p = Stats.PercentilesMs(0.50, 0.95, 0.99);
        var lines = new List<string>
        {
            $"rps={RequestsPerSecond.ToString("F1", CultureInfo.InvariantCulture)}",
            $"p50={StepStats.Ms(p[0])}",
            $"p95={StepStats.Ms(p[1])}",
            $"p99={StepStats.Ms(p[2])}",
            $"sent={Stats.Sent}",
            $"answered={Stats.Answered}",
            $"unanswered={Stats.Count(ReplyOutcome.Unanswered)}",
            $"accepts={Stats.Count(ReplyOutcome.Accept)}",
            $"challenges={Stats.Count(ReplyOutcome.Challenge)}",
            $"rejects={Stats.Count(ReplyOutcome.Reject)}",
            $"cpu_us={ClientCpuMicrosecondsPerRequest.ToString("F1", CultureInfo.InvariantCulture)}",
            $"cpu_cores={ClientCores.ToString("F3", CultureInfo.InvariantCulture)}",
            $"seconds={Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)}",
        };
        if (ServerCpu is { } server && Stats.Sent > 0)
        {
            lines.Add($"server_cpu_us={(server.TotalMicroseconds / Stats.Sent).ToString("F1", CultureInfo.InvariantCulture)}");
            lines.Add($"server_cpu_cores={(server.TotalSeconds / Elapsed.TotalSeconds).ToString("F3", CultureInfo.InvariantCulture)}");
        }

        if (extra is not null)
        {
            lines.AddRange(extra.Select(e => $"{e.Key}={e.Value}"));
        }

        File.WriteAllLines(path, lines);
    }
}
