namespace EdgeAgent.Hosting;

/// <summary>Where the files that ship with the agent are: beside the binary, or in the source tree.</summary>
public static class AgentPaths
{
    public static string HardwareProfiles => Find("hardware-profiles");
    public static string Samples => Find("samples");
    public static string BundledSample => Path.Combine(Samples, "uk-traffic.mp4");
    public static string CharacterModel => Path.Combine(Find("models"), "plate-chars.yml.gz");

    /// <summary>The character model Ocr:Model names, or the shipped one when it is empty.</summary>
    public static string CharacterModelFor(string configured) => string.IsNullOrEmpty(configured) ? CharacterModel : configured;

    private static string Find(string folder)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, folder);
        if (Directory.Exists(beside)) return beside;
        // Running from a build folder inside the repository: walk up to the root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, folder);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "EdgeAgent.sln"))) return candidate;
        }
        return beside;
    }
}
