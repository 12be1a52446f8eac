using System.Globalization;
using System.Text;

namespace EdgeAgent.SampleGen.Output;

/// <summary>
/// Cuts chosen frames out of the finished video as PNG stills (decoded, so they carry the video's own
/// compression) and labels them in the plates-dev index format (image_file, plate_text, x, y, w, h,
/// country), so that <c>edgeagent eval</c> measures finding and reading on full-size camera frames.
/// </summary>
internal static class Stills
{
    public static string Write(Ffmpeg ffmpeg, string videoPath, IReadOnlyList<(int Frame, string Plate, PixelRect Box)> stills)
    {
        if (stills.Count == 0)
        {
            throw new InvalidOperationException("no frame shows exactly one whole plate: generate more passes");
        }

        string dir = videoPath + ".stills";
        Directory.CreateDirectory(dir);

        // The select filter keeps the chosen frames; ffmpeg's expression parser refuses very long sums, so the
        // frames go in chunks, one decode of the video each.
        const int chunk = 50;
        for (int first = 0; first < stills.Count; first += chunk)
        {
            var part = stills.Skip(first).Take(chunk).ToList();
            string select = string.Join('+', part.Select(s => string.Create(CultureInfo.InvariantCulture, $"eq(n\\,{s.Frame})")));
            using var process = ffmpeg.Start(["-v", "error", "-y", "-i", videoPath, "-vf", $"select='{select}'", "-fps_mode", "passthrough",
                "-start_number", (first + 1).ToString(CultureInfo.InvariantCulture), Path.Combine(dir, "still-%04d.png")], writeStdin: false, out StringBuilder tail);
            process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not cut the stills from {videoPath}: {Ffmpeg.Tail(tail)}");
            }
        }

        var index = new StringBuilder().Append("image_file\tplate_text\tx\ty\tw\th\tcountry\n");
        for (int i = 0; i < stills.Count; i++)
        {
            var (_, plate, b) = stills[i];
            string file = string.Create(CultureInfo.InvariantCulture, $"still-{i + 1:0000}.png");
            if (!File.Exists(Path.Combine(dir, file)))
            {
                throw new InvalidOperationException($"ffmpeg wrote no {file} for frame {stills[i].Frame} of {videoPath}");
            }

            index.Append(CultureInfo.InvariantCulture, $"{file}\t{plate}\t{b.X}\t{b.Y}\t{b.Width}\t{b.Height}\tGB\n");
        }

        string indexPath = Path.Combine(dir, "index.tsv");
        File.WriteAllText(indexPath, index.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return indexPath;
    }
}
