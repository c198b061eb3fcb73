using System.Diagnostics;
using System.Runtime.Versioning;
using System.Net;
using NUnit.Framework;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Packaging;

/// <summary>
/// The .deb of packaging/build-deb.sh, unpacked with <c>dpkg -x</c> into a scratch root: its layout, and its binary run
/// as a service user runs it (no writable HOME), on the config it ships.
/// </summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
[Parallelizable(ParallelScope.All)]
public sealed class DebPackageTests
{
    private const string Etc = "/etc/radius-email-otp";
    private const string VarLib = "/var/lib/radius-email-otp";

    [Test]
    public async Task The_package_holds_the_install_layout_with_its_version()
    {
        var root = InstalledPackage.Root;
        var (_, version, _) = await Dpkg("-f", InstalledPackage.DebPath, "Version");
        var (_, conffiles, _) = await Dpkg("--info", InstalledPackage.DebPath, "conffiles");

        Assert.That(version.Trim(), Is.EqualTo(BuildInfo.Version));
        Assert.That(new FileInfo(Path.Combine(root, "usr/bin/radius-email-otp")).LinkTarget, Is.EqualTo("../lib/radius-email-otp/radius-email-otp"));
        foreach (var file in new[]
        {
            "usr/lib/radius-email-otp/radius-email-otp", "usr/lib/radius-email-otp/libe_sqlite3.so",
            "etc/radius-email-otp/config.toml", "etc/radius-email-otp/dictionaries/dictionary", "etc/radius-email-otp/dictionaries/dictionary.rfc2865",
            "etc/radius-email-otp/mailtemplates/otp-plain.eml", "lib/systemd/system/radius-email-otp.service",
            "usr/share/man/man8/radius-email-otp.8.gz", "usr/share/bash-completion/completions/radius-email-otp",
        })
        {
            Assert.That(File.Exists(Path.Combine(root, file)), Is.True, file);
        }

        Assert.That(conffiles.Split('\n'), Does.Contain($"{Etc}/config.toml").And.Contain($"{Etc}/dictionaries/dictionary").And.Contain($"{Etc}/mailtemplates/otp-plain.eml"));
        Assert.That(
            File.ReadAllText(Path.Combine(root, "lib/systemd/system/radius-email-otp.service")),
            Is.EqualTo(File.ReadAllText(RepoPaths.Combine("packaging", "radius-email-otp.service"))));
    }

    [Test]
    public void The_shipped_config_uses_the_installed_paths()
    {
        var config = File.ReadAllText(Path.Combine(InstalledPackage.Root, "etc/radius-email-otp/config.toml"));

        Assert.That(config, Does.Contain($"dictionary = \"{Etc}/dictionaries/dictionary\""));
        Assert.That(config, Does.Contain($"data_dir = \"{VarLib}\""));
        Assert.That(config, Does.Contain($"template_root = \"{Etc}/mailtemplates\""));
        Assert.That(config, Does.Contain($"DIRECTORY = \"{VarLib}/outbox\""));
        Assert.That(config, Does.Not.Contain("\"../"));
    }

    [Test]
    public async Task The_installed_binary_prints_its_version_without_a_home_directory()
    {
        var (exit, stdout, stderr) = await InstalledPackage.RunAsync("--version");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo($"radius-email-otp {BuildInfo.Version}"));
    }

    [Test]
    public async Task Check_config_passes_on_the_shipped_config()
    {
        using var scratch = new TempDirectory();
        var config = RootedConfig(scratch, listen: "127.0.0.1:1812");

        var (exit, stdout, stderr) = await InstalledPackage.RunAsync("check-config", "--config", config);

        Assert.That(exit, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain($"OK (radius-email-otp {BuildInfo.Version};"));
    }

    [Test]
    public async Task The_installed_binary_serves_and_opens_its_database_with_the_native_sqlite_beside_it()
    {
        using var scratch = new TempDirectory();
        var port = ServerProcess.FreeLoopbackPort();
        var config = RootedConfig(scratch, listen: $"127.0.0.1:{port}");
        var (enrolled, serial, enrollError) = await Tool.RunAsync(
            InstalledPackage.StartInfo("token", "enroll", "--config", config, "--user", "alice", "--email", "alice@example.com", "--pin", "-"), "1234\n");
        Assert.That(enrolled, Is.Zero, enrollError);

        using var server = await ServerProcess.StartAsync(InstalledPackage.StartInfo("serve", "--config", config), new IPEndPoint(IPAddress.Loopback, port), "testing123");
        var (listed, list, listError) = await InstalledPackage.RunAsync("token", "list", "--config", config);

        Assert.That(server.HasExited, Is.False, server.Output);
        Assert.That(listed, Is.Zero, listError);
        Assert.That(list, Does.Contain(serial.Trim()).And.Contain("alice"));
        Assert.That(File.GetUnixFileMode(Path.Combine(scratch.Path, "var/lib/radius-email-otp")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [TestCase("", "to", "token")]
    [TestCase("token", "en", "enroll")]
    [TestCase("token enroll", "--us", "--user")]
    [TestCase("challenge", "li", "list")]
    [TestCase("serve", "--de", "--debug")]
    public async Task Bash_completion_offers_the_programs_own_words(string before, string current, string expected)
    {
        var bash = Tool.Find("bash");
        InstalledPackage.Require(bash is not null, "bash not installed");
        var completion = Path.Combine(InstalledPackage.Root, "usr/share/bash-completion/completions/radius-email-otp");
        var words = string.Join(' ', new[] { InstalledPackage.Binary }.Concat(before.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append(current).Select(w => $"'{w}'"));
        var script = $"source '{completion}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); _radius_email_otp; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var info = new ProcessStartInfo(bash!, ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["HOME"] = "/nonexistent";

        var (exit, stdout, stderr) = await Tool.RunAsync(info);

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout.Split('\n'), Does.Contain(expected), stdout + stderr);
    }

    // The shipped config with its /etc and /var/lib paths moved into the scratch root (the test is not root and must not
    // touch the real ones), and its listen address on a free port.
    private static string RootedConfig(TempDirectory scratch, string listen)
    {
        var etc = Path.Combine(scratch.Path, "etc/radius-email-otp");
        CopyDirectory(Path.Combine(InstalledPackage.Root, "etc/radius-email-otp"), etc);
        var text = File.ReadAllText(Path.Combine(etc, "config.toml"))
            .Replace(Etc, etc, StringComparison.Ordinal)
            .Replace(VarLib, Path.Combine(scratch.Path, "var/lib/radius-email-otp"), StringComparison.Ordinal)
            .Replace("listen = [\"127.0.0.1:1812\"]", $"listen = [\"{listen}\"]", StringComparison.Ordinal)
            .Replace("listen_acct = [\"127.0.0.1:1813\"]", "listen_acct = []", StringComparison.Ordinal);
        var path = Path.Combine(etc, "config.toml");
        File.WriteAllText(path, text);
        return path;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Dpkg(params string[] args) =>
        Tool.RunAsync(new ProcessStartInfo("dpkg-deb", args) { RedirectStandardOutput = true, RedirectStandardError = true });
}
