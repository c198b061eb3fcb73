using System.Reflection;

namespace RadiusEmailOtp;

/// <summary>What the build stamped into the program: its version (Directory.Build.props &lt;Version&gt;).</summary>
internal static class BuildInfo
{
    public const string ProgramName = "radius-email-otp";

    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary><c>radius-email-otp 0.9.0</c>, as <c>--version</c> prints it.</summary>
    public static string NameAndVersion => $"{ProgramName} {Version}";
}
