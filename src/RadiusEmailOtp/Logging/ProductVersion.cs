using System.Reflection;

namespace RadiusEmailOtp.Logging;

/// <summary>The build's version (the assembly's informational version, without the source revision suffix).</summary>
internal static class ProductVersion
{
    public static string Value { get; } = Read();

    private static string Read()
    {
        var version = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
