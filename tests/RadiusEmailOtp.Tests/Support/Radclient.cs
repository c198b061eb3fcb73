using NUnit.Framework;
using System.Diagnostics;
using System.Net;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// Drives FreeRADIUS's radclient (package freeradius-utils). Missing locally → the test is ignored with a message;
/// missing in CI (environment variable CI set) → the test fails, so CI cannot pass without the interop tests.
/// </summary>
internal static class Radclient
{
    public static string Path { get; } = Find();

    public static void RequireInstalled()
    {
        if (File.Exists(Path))
        {
            return;
        }

        const string message = "radclient not installed (apt-get install freeradius-utils); interop tests need it";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " and CI requires them");
        }

        Assert.Ignore(message);
    }

    /// <summary>Runs radclient once: <c>radclient -x -t timeout -r retries server:port command secret</c> with <paramref name="input"/> on stdin.</summary>
    public static async Task<RadclientResult> RunAsync(IPEndPoint server, string command, string secret, string input, double timeoutSeconds = 3, int retries = 1, params string[] extraArgs)
    {
        RequireInstalled();
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["-x", "-t", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-r", retries.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArgs, $"{server.Address}:{server.Port}", command, secret])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return new RadclientResult(process.ExitCode, await stdout, await stderr);
    }

    private static string Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, "radclient");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/usr/bin/radclient";
    }
}
