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

    /// <summary>
    /// An assembly of another project of the repository, built in the tests' configuration (Debug or Release, like
    /// them); says to build it when it is missing.
    /// </summary>
    /// <param name="project">The project's folder from the repository root, e.g. "tools/EdgeAgent.SampleGen".</param>
    public static string BuiltAssembly(string project, string dll)
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string path = Path.Combine(Root, project, "bin", configuration, "net10.0", dll);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build {project} ({configuration}) first");
        return path;
    }
}
