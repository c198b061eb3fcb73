using System.Text.Json;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>Runs the real <c>radius-email-otp token …</c> commands against a config file, as an admin would.</summary>
internal static class TokenCli
{
    /// <summary><c>token enroll</c>; returns the serial it printed.</summary>
    public static async Task<string> EnrollAsync(string configPath, string user, string email, string pin)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            System.IO.Path.GetDirectoryName(configPath)!, "token", "enroll", "--config", configPath, "--user", user, "--email", email, "--pin", pin);
        if (exit != 0)
        {
            throw new InvalidOperationException($"token enroll exited {exit}: {stderr}");
        }

        return stdout.Trim();
    }

    /// <summary><c>token list --json</c>, parsed.</summary>
    public static async Task<JsonElement> ListJsonAsync(string configPath)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            System.IO.Path.GetDirectoryName(configPath)!, "token", "list", "--config", configPath, "--json");
        if (exit != 0)
        {
            throw new InvalidOperationException($"token list exited {exit}: {stderr}");
        }

        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary><c>token show SERIAL</c>: its text output.</summary>
    public static async Task<string> ShowAsync(string configPath, string serial)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            System.IO.Path.GetDirectoryName(configPath)!, "token", "show", serial, "--config", configPath);
        return exit == 0 ? stdout : throw new InvalidOperationException($"token show exited {exit}: {stderr}");
    }
}
