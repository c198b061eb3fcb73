using System.Diagnostics;
using NUnit.Framework;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// Prometheus's <c>promtool check metrics</c> (Debian package prometheus). Missing locally → the test is ignored with a
/// message; missing in CI (CI set) → the test fails.
/// </summary>
internal static class Promtool
{
    public static string Path { get; } = Find();

    public static void RequireInstalled()
    {
        if (File.Exists(Path))
        {
            return;
        }

        const string message = "promtool not installed (apt-get install prometheus); the exposition-format test needs it";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " and CI requires it");
        }

        Assert.Ignore(message);
    }

    /// <summary>Runs <c>promtool check metrics</c> with <paramref name="exposition"/> on stdin: exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        RequireInstalled();
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, "promtool");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/usr/bin/promtool";
    }
}
