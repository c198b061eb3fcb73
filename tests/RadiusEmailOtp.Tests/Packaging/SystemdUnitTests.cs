using System.Diagnostics;
using System.Runtime.Versioning;
using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Packaging;

/// <summary>packaging/radius-email-otp.service passes <c>systemd-analyze verify</c> (package systemd).</summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
[Parallelizable(ParallelScope.All)]
public sealed class SystemdUnitTests
{
    private static string UnitPath => RepoPaths.Combine("packaging", "radius-email-otp.service");

    [Test]
    public async Task The_unit_passes_systemd_analyze_verify()
    {
        var analyze = Tool.Find("systemd-analyze");
        InstalledPackage.Require(analyze is not null, "systemd-analyze not installed (apt-get install systemd)");
        using var dir = new TempDirectory();
        // verify checks that ExecStart's program exists and is executable: point the unit at a stand-in in a scratch root.
        var program = dir.Combine("radius-email-otp");
        File.WriteAllText(program, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var unit = dir.Combine("radius-email-otp.service");
        File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace("/usr/bin/radius-email-otp", program, StringComparison.Ordinal));

        // --man=no: the man page is checked in the package, not in the build machine's man path.
        var (exit, stdout, stderr) = await Tool.RunAsync(new ProcessStartInfo(analyze!, ["verify", "--man=no", unit])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });

        // Other units on the machine may draw warnings of their own; only lines about ours count.
        var ours = (stdout + stderr).Split('\n').Where(l => l.Contains("radius-email-otp", StringComparison.Ordinal)).ToList();
        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(ours, Is.Empty, stdout + stderr);
    }

    [Test]
    public void The_unit_is_a_notify_service_that_reloads_with_SIGHUP_and_never_enforces_W_xor_X()
    {
        var lines = File.ReadAllLines(UnitPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.That(lines, Does.Contain("Type=notify"));
        Assert.That(lines, Does.Contain("ExecReload=/bin/kill -HUP $MAINPID"));
        Assert.That(lines, Does.Contain("Restart=on-failure"));
        Assert.That(lines, Does.Contain("User=radius-email-otp"));
        Assert.That(lines, Has.One.StartsWith("ExecStartPre=/usr/bin/radius-email-otp check-config"));
        Assert.That(lines, Has.One.StartsWith("ExecStart=/usr/bin/radius-email-otp serve"));
        // The .NET JIT writes code and then executes it: MemoryDenyWriteExecute=yes stops the runtime at start.
        Assert.That(lines, Has.None.EqualTo("MemoryDenyWriteExecute=yes"));
    }
}
