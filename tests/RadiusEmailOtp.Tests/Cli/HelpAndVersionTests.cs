using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;
using RadiusEmailOtp.Cli;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>--help</c> on every command and subcommand, <c>--version</c>, and where the config file is looked for.</summary>
[NonParallelizable]
public sealed class HelpAndVersionTests
{
    // Every command and subcommand registered in CommandLine: a command added later is covered without editing this test.
    private static IEnumerable<TestCaseData> EveryCommand() =>
        CommandLine.Commands.SelectMany(c => c.Subcommands.Prepend(c))
            .SelectMany(c => new[] { "--help", "-h" }.Select(flag => new TestCaseData(c.Name, flag).SetArgDisplayNames(c.Name, flag)));

    [TestCaseSource(nameof(EveryCommand))]
    public async Task Help_lists_the_options_and_exits_0(string name, string flag)
    {
        var help = CommandLine.Commands.SelectMany(c => c.Subcommands.Prepend(c)).Single(c => c.Name == name);

        var (code, stdout, stderr) = await RunInProcessAsync([.. name.Split(' '), flag]);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.StartWith($"usage: radius-email-otp {name}"));
        Assert.That(stdout, Does.Contain(help.Summary));
        foreach (var option in help.Options.Append(new HelpOption("--config", string.Empty)))
        {
            Assert.That(stdout, Does.Contain("  " + option.Name.Split(' ')[0]), $"{name} --help lists {option.Name}");
        }

        foreach (var sub in help.Subcommands)
        {
            Assert.That(stdout, Does.Contain("  " + sub.Name[(name.Length + 1)..]), $"{name} --help lists {sub.Name}");
        }
    }

    [Test]
    public async Task Help_anywhere_among_the_words_is_help_for_that_subcommand_and_runs_nothing()
    {
        var (code, stdout, _) = await RunInProcessAsync(["token", "enroll", "--user", "alice", "--help"]);
        var (helpCode, helpOut, _) = await RunInProcessAsync(["help", "token", "enroll"]);

        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.StartWith("usage: radius-email-otp token enroll "));
        Assert.That(helpCode, Is.Zero);
        Assert.That(helpOut, Is.EqualTo(stdout));
    }

    [Test]
    public async Task Top_level_help_lists_every_command()
    {
        var (code, stdout, _) = await RunInProcessAsync(["--help"]);

        Assert.That(code, Is.Zero);
        foreach (var command in CommandLine.Commands)
        {
            Assert.That(stdout, Does.Contain("  " + command.Name + " "));
        }
    }

    [Test]
    public async Task No_command_is_a_usage_error_with_the_usage_on_stderr()
    {
        var (code, stdout, stderr) = await RunInProcessAsync([]);
        var (unknownCode, _, unknownError) = await RunInProcessAsync(["frobnicate", "--help"]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("usage: radius-email-otp <command>"));
        Assert.That(unknownCode, Is.EqualTo(2));
        Assert.That(unknownError.Trim(), Is.EqualTo("radius-email-otp: unknown command \"frobnicate\" (try --help)"));
    }

    [Test]
    public async Task Version_is_the_one_of_the_build()
    {
        var props = File.ReadAllText(RepoPaths.Combine("Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;

        var (code, stdout, _) = await RunInProcessAsync(["--version"]);

        Assert.That(version, Is.Not.Empty);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo($"radius-email-otp {version}{Environment.NewLine}"));
    }

    [Test]
    public async Task The_real_program_answers_version_and_serve_help_without_starting()
    {
        using var dir = new TempDirectory();

        var version = await CliProcess.RunAsync(dir.Path, "--version");
        var serveHelp = await CliProcess.RunAsync(dir.Path, "serve", "--help");

        Assert.That(version.ExitCode, Is.Zero, version.Stderr);
        Assert.That(version.Stdout.Trim(), Does.Match(@"^radius-email-otp \d+\.\d+\.\d+"));
        Assert.That(serveHelp.ExitCode, Is.Zero, serveHelp.Stderr);
        Assert.That(serveHelp.Stdout, Does.Contain("--debug"));
    }

    [Test]
    public async Task Check_config_prints_the_version()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(RepoPaths.Root, "check-config", "--config", "config/config.toml");

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain($"OK (radius-email-otp {BuildInfo.Version};"));
    }

    [Test]
    public void The_config_path_is_option_then_environment_then_the_repository_file_then_etc()
    {
        Assert.That(DefaultConfigPath.Resolve("my.toml", "env.toml", _ => true), Is.EqualTo("my.toml"));
        Assert.That(DefaultConfigPath.Resolve(null, "env.toml", _ => true), Is.EqualTo("env.toml"));
        Assert.That(DefaultConfigPath.Resolve(null, string.Empty, _ => true), Is.EqualTo("config/config.toml"));
        Assert.That(DefaultConfigPath.Resolve(null, null, _ => false), Is.EqualTo("/etc/radius-email-otp/config.toml"));
    }

    [Test]
    public async Task Without_config_the_program_reads_the_environment_variable_then_falls_back_to_etc()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("env.toml");
        File.WriteAllText(path, "[server]\nfrobnicate = 1\n");

        var fromEnv = await RunProcessAsync(dir.Path, path, "check-config");
        var fallback = await RunProcessAsync(dir.Path, null, "check-config");

        Assert.That(fromEnv.ExitCode, Is.EqualTo(1));
        Assert.That(fromEnv.Stderr, Does.Contain($"{path}:2: error:").And.Contain("frobnicate"));
        // No config/config.toml in this working directory: the installed path, whether or not it exists on this machine.
        Assert.That(fallback.Stdout + fallback.Stderr, Does.Contain("/etc/radius-email-otp/config.toml"));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string workingDirectory, string? environment, params string[] args)
    {
        var info = CliProcess.StartInfo(workingDirectory, args);
        info.Environment.Remove(DefaultConfigPath.EnvironmentVariable);
        if (environment is not null)
        {
            info.Environment[DefaultConfigPath.EnvironmentVariable] = environment;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<(int Code, string Out, string Error)> RunInProcessAsync(string[] args)
    {
        var (previousOut, previousError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            // Bounded: help that started the command instead (serve runs until a signal) fails here rather than hanging.
            var run = CommandLine.RunAsync(args);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.That(finished, Is.SameAs(run), "the command returned");
            return (await run, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
