using RadiusEmailOtp.Infrastructure.Configuration;

namespace RadiusEmailOtp.Cli;

/// <summary>Loading the configuration the same way for every command.</summary>
internal static class ConfigCommandSupport
{
    /// <summary>Loads the configuration and prints every diagnostic; null when it has errors.</summary>
    public static AppConfig? LoadAndReport(string path, TextWriter errors)
    {
        var config = AppConfigLoader.Load(path, out var diagnostics);
        foreach (var diagnostic in diagnostics.Items)
        {
            errors.WriteLine(diagnostic);
        }

        return config;
    }

    /// <summary>Loads the configuration for an admin command: warnings stay quiet, an error is one line.</summary>
    public static AppConfig LoadOrThrow(string path)
    {
        var config = AppConfigLoader.Load(path, out var diagnostics);
        if (config is null)
        {
            var first = diagnostics.Items.First(d => d.IsError);
            var more = diagnostics.Items.Count(d => d.IsError) - 1;
            throw new CommandLineException($"{first}{(more > 0 ? $" (and {more} more; run check-config)" : string.Empty)}");
        }

        return config;
    }
}
