namespace RadiusEmailOtp.Radius.Tests.Dictionary;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the nearest directory above the tests holding RadiusEmailOtp.sln.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RadiusEmailOtp.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new DirectoryNotFoundException("RadiusEmailOtp.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Dictionary => Path.Combine(Root, "dictionaries", "dictionary");
}
