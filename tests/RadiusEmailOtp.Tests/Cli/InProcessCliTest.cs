using Microsoft.Data.Sqlite;
using NUnit.Framework;
using RadiusEmailOtp.Cli;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>
/// Runs CLI commands in-process against a temp directory with a config whose data directory does not exist yet,
/// capturing stdout and stderr.
/// </summary>
public abstract class InProcessCliTest
{
    private TextWriter _out = null!;
    private TextWriter _error = null!;

    protected string TempDir { get; private set; } = string.Empty;

    protected string ConfigPath { get; private set; } = string.Empty;

    protected string DataDir => Path.Combine(TempDir, "data");

    [SetUp]
    public void SetUpTempConfig()
    {
        TempDir = Path.Combine(Path.GetTempPath(), "reo-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(TempDir);
        ConfigPath = Path.Combine(TempDir, "config.toml");
        File.WriteAllText(ConfigPath, $"""
            [server]
            data_dir = "{DataDir.Replace("\\", "/", StringComparison.Ordinal)}"

            [realm]
            default = "Example.COM"

            [email_token]
            max_fail = 7
            """);
        _out = Console.Out;
        _error = Console.Error;
    }

    [TearDown]
    public void TearDownTempConfig()
    {
        Console.SetOut(_out);
        Console.SetError(_error);
        SqliteConnection.ClearAllPools();
        Directory.Delete(TempDir, recursive: true);
    }

    /// <summary><c>token enroll</c> of USER with the PIN 1234; returns the serial.</summary>
    protected async Task<string> EnrollAsync(string user, params string[] extra)
    {
        var (code, stdout, stderr) = await RunAsync(["token", "enroll", "--user", user, "--email", $"{user}@example.com", "--pin", "1234", .. extra]);
        Assert.That(code, Is.EqualTo(0), stderr);
        return stdout.Trim();
    }

    protected Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>Runs the command line with <c>--config</c> appended; returns the exit code and what it printed.</summary>
    protected async Task<(int Code, string Out, string Error)> RunAsync(IEnumerable<string> args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await CommandLine.RunAsync([.. args, "--config", ConfigPath]);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(_out);
            Console.SetError(_error);
        }
    }

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="stdin"/> as standard input.</summary>
    protected async Task<(int Code, string Out, string Error)> RunWithInputAsync(string stdin, params string[] args)
    {
        var original = Console.In;
        Console.SetIn(new StringReader(stdin));
        try
        {
            return await RunAsync(args);
        }
        finally
        {
            Console.SetIn(original);
        }
    }
}
