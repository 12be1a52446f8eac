using System.Text;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// The character trainer's rendering (tools/EdgeAgent.CharTrainer, built beside the tests): the US-style plates
/// come out the same from the same seed (the shipped model's training is reproducible), and a missing font stops
/// it with the path and the Debian package to install. Only fonts that install.sh installs are used here.
/// </summary>
public sealed class CharTrainerTests
{
    private const string DejaVuCondensedBold = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf";

    private static string Dll => RepoPaths.BuiltAssembly("tools/EdgeAgent.CharTrainer", "EdgeAgent.CharTrainer.dll");

    [Fact]
    public async Task Preview_UsStylePlates_SameSeedGivesTheSamePlates()
    {
        using var dir = new TempDirectory();
        string[] Arguments(string folder) => ["--preview", folder, "--us-share", "1", "--plate-fonts", DejaVuCondensedBold, "--seed", "5"];
        (int exitA, string textA) = await RunAsync(Arguments(dir.File("a")));
        Assert.True(exitA == 0, textA);
        (int exitB, string textB) = await RunAsync(Arguments(dir.File("b")));
        Assert.True(exitB == 0, textB);

        string[] files = [.. Directory.GetFiles(dir.File("a"), "*.pgm").Order(StringComparer.Ordinal)];
        Assert.Equal(40, files.Length);
        foreach (string file in files)
        {
            byte[] a = await File.ReadAllBytesAsync(file);
            byte[] b = await File.ReadAllBytesAsync(Path.Combine(dir.File("b"), Path.GetFileName(file)));
            Assert.Equal(a, b);
            string[] header = Encoding.ASCII.GetString(a, 0, Math.Min(a.Length, 32)).Split('\n');
            Assert.Equal("P5", header[0]);
            // A plate was drawn: the scene holds both dark and light pixels, not one flat tone.
            int start = header[0].Length + header[1].Length + header[2].Length + 3;
            byte min = 255, max = 0;
            for (int i = start; i < a.Length; i++)
            {
                min = Math.Min(min, a[i]);
                max = Math.Max(max, a[i]);
            }
            Assert.True(max - min > 40, $"{Path.GetFileName(file)}: pixels only {min}-{max}");
        }
    }

    [Fact]
    public async Task MissingPlateFont_ExitsOneNamingThePathAndThePackage()
    {
        using var dir = new TempDirectory();
        const string missing = "/usr/share/fonts/opentype/bebas-neue/NoSuchFace.otf";
        (int exit, string text) = await RunAsync(["--preview", dir.File("p"), "--plate-fonts", missing]);
        Assert.True(exit == 1, text);
        Assert.Contains($"font not found: {missing}", text, StringComparison.Ordinal);
        Assert.Contains("apt-get install fonts-bebas-neue", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("p")));
    }

    private static Task<(int ExitCode, string Text)> RunAsync(IEnumerable<string> arguments) =>
        ToolProcess.RunAsync(Dll, arguments, TimeSpan.FromMinutes(2));
}
