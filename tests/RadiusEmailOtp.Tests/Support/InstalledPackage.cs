using System.Diagnostics;
using NUnit.Framework;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// The .deb built by <c>packaging/build-deb.sh</c> (<c>.ci/run</c> builds it before the tests), unpacked once with
/// <c>dpkg -x</c> into a scratch root. Not built here: a self-contained publish takes minutes. Missing locally → the test
/// is ignored with a message; missing in CI → it fails.
/// </summary>
internal static class InstalledPackage
{
    private static readonly Lazy<string> s_root = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>dist/radius-email-otp_VERSION_amd64.deb, or <c>$RADIUS_EMAIL_OTP_DEB</c> when set.</summary>
    public static string DebPath =>
        Environment.GetEnvironmentVariable("RADIUS_EMAIL_OTP_DEB") is { Length: > 0 } path
            ? path
            : RepoPaths.Combine("dist", $"radius-email-otp_{BuildInfo.Version}_amd64.deb");

    /// <summary>The scratch root the package was unpacked into (its usr/, etc/, lib/).</summary>
    public static string Root
    {
        get
        {
            Require(File.Exists(DebPath), $"{DebPath} not built (run packaging/build-deb.sh; .ci/run does)");
            Require(Tool.Exists("dpkg-deb"), "dpkg-deb not installed (package dpkg)");
            return s_root.Value;
        }
    }

    public static string Binary => Path.Combine(Root, "usr", "bin", "radius-email-otp");

    /// <summary>The installed binary, run the way a service user runs it: no HOME it could extract anything to.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.Environment["HOME"] = "/nonexistent";
        info.Environment.Remove("DOTNET_ROOT");
        info.Environment.Remove("RADIUS_EMAIL_OTP_CONFIG");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => Tool.RunAsync(StartInfo(args));

    /// <summary>Skips locally, fails in CI (environment variable CI set), like the radclient tests.</summary>
    public static void Require(bool present, string message)
    {
        if (present)
        {
            return;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " and CI requires it");
        }

        Assert.Ignore(message);
    }

    private static string Extract()
    {
        var root = Path.Combine(Path.GetTempPath(), "reo-deb-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var (exit, _, stderr) = Tool.RunAsync(new ProcessStartInfo("dpkg-deb", ["-x", DebPath, root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }).GetAwaiter().GetResult();
        if (exit != 0)
        {
            throw new InvalidOperationException($"dpkg-deb -x {DebPath} failed: {stderr}");
        }

        return root;
    }
}
