using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Vision.Tests;

/// <summary>A face or a pedestrian pasted into a test frame, and where it ended up (frame pixels).</summary>
public sealed record Subject(string What, string Source, BoxF InFrame)
{
    public bool IsFace => What == "face";
}

public readonly record struct BoxF(float X, float Y, float Width, float Height)
{
    public BoxF Scaled(float s) => new(X * s, Y * s, Width * s, Height * s);
}

/// <summary>
/// Builds a 1080p roadside frame (a frame of the bundled sample) with real people pasted at known places:
/// OpenCV's sample pictures from Debian's opencv-doc (BSD-3-Clause, see /usr/share/doc/opencv-doc/copyright):
/// basketball1/2.png (a man facing the camera, whole body), messi5.jpg (a face) and frames of vtest.avi
/// (pedestrians crossing a car park). The boxes of faces and people were drawn by hand on the originals,
/// not taken from any detector.
/// </summary>
public static class RedactionScene
{
    public const string OpenCvData = "/usr/share/doc/opencv-doc/examples/data";

    // (file, crop in the original, faces and people in the original, scale when pasted, where pasted)
    private sealed record Paste(string File, BoxF Crop, (string What, BoxF Box)[] Labels, float Scale, int X, int Y);

    private static readonly Paste[] Pastes =
    [
        new("basketball2.png", new(0, 50, 230, 430), [("face", new(65, 88, 38, 47)), ("person", new(35, 80, 130, 398))], 1.0f, 1660, 600),
        new("basketball1.png", new(0, 50, 230, 430), [("face", new(62, 92, 40, 46)), ("person", new(35, 80, 130, 396))], 0.8f, 1420, 680),
        new("messi5.jpg", new(140, 20, 260, 320), [("face", new(225, 93, 32, 40))], 1.2f, 1020, 40),
        new("vtest.avi#100", new(330, 130, 320, 180),
        [
            ("person", new(348, 198, 35, 77)), ("person", new(373, 178, 38, 79)), ("person", new(493, 148, 25, 72)),
            ("person", new(515, 152, 27, 70)), ("person", new(590, 153, 27, 80)),
        ], 2.0f, 40, 700),
    ];

    private static readonly Lazy<(Frame, IReadOnlyList<Subject>)> Scene = new(Compose);

    /// <summary>The scene and its subjects (built once; callers copy out of the frame and never change it).</summary>
    public static (Frame Frame, IReadOnlyList<Subject> Subjects) Build() => Scene.Value;

    // Throws with the fix when opencv-doc is not installed.
    private static (Frame Frame, IReadOnlyList<Subject> Subjects) Compose()
    {
        if (!Directory.Exists(OpenCvData))
            throw new InvalidOperationException($"{OpenCvData} is missing: the redaction tests use OpenCV's sample pictures; install opencv-doc (./install.sh --deps)");
        Frame frame = ReadFrame(Path.Combine(RepoPaths.Samples, "uk-traffic.mp4"), 60);
        var subjects = new List<Subject>();
        foreach (Paste p in Pastes)
        {
            Frame source = p.File.Contains('#', StringComparison.Ordinal)
                ? ReadFrame(Path.Combine(OpenCvData, p.File.Split('#')[0]), int.Parse(p.File.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture))
                : StillImage.Load(Path.Combine(OpenCvData, p.File));
            PasteScaled(source, p.Crop, frame, p.X, p.Y, p.Scale);
            foreach (var (what, box) in p.Labels)
                subjects.Add(new Subject(what, p.File, new BoxF(p.X + (box.X - p.Crop.X) * p.Scale, p.Y + (box.Y - p.Crop.Y) * p.Scale, box.Width * p.Scale, box.Height * p.Scale)));
        }
        return (frame, subjects);
    }

    private static Frame ReadFrame(string video, int index)
    {
        using VideoFrameSource source = VideoFrameSource.Open(video);
        var frame = new Frame(source.Info.Width, source.Info.Height);
        for (int i = 0; i <= index; i++)
            if (source.Read(frame) != FrameReadResult.Frame) throw new InvalidOperationException($"{video} has no frame {index}");
        frame.Index = index;
        return frame;
    }

    // Bilinear, into the BGR buffer (the gray copy is not used by redaction).
    private static void PasteScaled(Frame source, BoxF crop, Frame target, int x0, int y0, float scale)
    {
        int w = (int)(crop.Width * scale), h = (int)(crop.Height * scale);
        for (int y = 0; y < h && y0 + y < target.Height; y++)
        for (int x = 0; x < w && x0 + x < target.Width; x++)
        {
            float sx = Math.Clamp(crop.X + x / scale, 0, source.Width - 1.001f), sy = Math.Clamp(crop.Y + y / scale, 0, source.Height - 1.001f);
            int ix = (int)sx, iy = (int)sy;
            float fx = sx - ix, fy = sy - iy;
            for (int c = 0; c < 3; c++)
            {
                float v = Px(source, ix, iy, c) * (1 - fx) * (1 - fy) + Px(source, ix + 1, iy, c) * fx * (1 - fy)
                        + Px(source, ix, iy + 1, c) * (1 - fx) * fy + Px(source, ix + 1, iy + 1, c) * fx * fy;
                target.Bgr[((y0 + y) * target.Width + x0 + x) * 3 + c] = (byte)Math.Clamp(v + 0.5f, 0, 255);
            }
        }
    }

    private static byte Px(Frame f, int x, int y, int c) => f.Bgr[(Math.Min(y, f.Height - 1) * f.Width + Math.Min(x, f.Width - 1)) * 3 + c];
}
