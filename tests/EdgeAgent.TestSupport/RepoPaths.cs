namespace EdgeAgent.TestSupport;

/// <summary>Paths inside the repository, found from the test assembly's folder upwards.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeAgent.sln"))) return dir.FullName;
        throw new InvalidOperationException("EdgeAgent.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;
    public static string Samples => Path.Combine(Root, "samples");
    public static string HardwareProfiles => Path.Combine(Root, "hardware-profiles");

    /// <summary>The shared labelled photos (outside the repository; present on development machines and CI).</summary>
    public static string PlatesDev => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "plates-dev"));
}
