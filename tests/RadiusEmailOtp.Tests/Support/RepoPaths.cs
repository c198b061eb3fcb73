namespace RadiusEmailOtp.Tests.Support;

/// <summary>Finds files of the repository (the shipped config and dictionaries) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Dictionary => Path.Combine(Root, "dictionaries", "dictionary");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadiusEmailOtp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RadiusEmailOtp.sln not found above " + AppContext.BaseDirectory);
    }
}
