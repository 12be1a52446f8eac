using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Tests;

/// <summary>
/// The motion gate on synthetic video: a textured road that does not move (with sensor noise), a vehicle
/// rendered by FFmpeg pasted onto it and moved frame by frame, and a light change over the whole picture.
/// </summary>
public class MotionGateTests
{
    private const int Width = 1280, Height = 720;
    private static readonly FindRegion Region = new(0, 0, Width, Height, 30, 120);

    // A busy static texture (tarmac, kerb lines, a sign) and fresh noise each frame: what the gate must ignore.
    private static void DrawRoad(Frame frame, int seed, int noise)
    {
        var random = new Random(seed);
        for (int y = 0; y < Height; y++)
        {
            Span<byte> row = frame.Gray.AsSpan(y * frame.GrayStride, Width);
            for (int x = 0; x < Width; x++)
            {
                int texture = 70 + ((((x * 7) + (y * 13)) ^ (x * y / 5)) & 63) + (((x / 40) + (y / 40)) % 2 * 50);
                row[x] = (byte)Math.Clamp(texture + random.Next(-noise, noise + 1), 0, 255);
            }
        }
    }

    private static void Paste(Frame frame, Frame plate, int left, int top)
    {
        for (int y = 0; y < plate.Height; y++)
            plate.Gray.AsSpan(y * plate.GrayStride, plate.Width).CopyTo(frame.Gray.AsSpan(((top + y) * frame.GrayStride) + left));
    }

    private static bool Contains(SearchWindow w, int x, int y, int width, int height) =>
        x >= w.X && y >= w.Y && x + width <= w.X + w.Width && y + height <= w.Y + w.Height;

    [Fact]
    public void Plan_StaticTexturedRoadWithNoise_SearchesNothingAfterTheFirstFrame()
    {
        using var gate = new OpenCvMotionGate();
        var frame = new Frame(Width, Height);
        var windows = new SearchWindow[16];
        for (int i = 0; i < 2; i++)
        {
            DrawRoad(frame, seed: i, noise: 6);
            Assert.Equal(-1, gate.Plan(frame.GrayImage, Region, [], windows));   // nothing to compare with yet
        }
        for (int i = 2; i < 10; i++)
        {
            DrawRoad(frame, seed: i, noise: 6);
            Assert.Equal(0, gate.Plan(frame.GrayImage, Region, [], windows));
        }
    }

    [Fact]
    public void Plan_MovingVehicle_WindowsHoldItsPlateAndTheFinderFindsItThere()
    {
        using var dir = new TempDirectory();
        // The vehicle: a dark body with a plate, 420x160, rendered once and moved 24 px a frame.
        Frame vehicle = StillImage.Load(PlateScene.Render(dir.File("car.png"), 420, 160, [new ScenePlate("AB12 CDE", 210, 90, 56)],
            new SceneLook(Background: "0x202428", Noise: 4)));
        using var gate = new OpenCvMotionGate();
        using var finder = new OpenCvPlateFinder();
        var frame = new Frame(Width, Height);
        var windows = new SearchWindow[16];
        var found = new PlateCandidate[8];
        for (int i = 0; i < 5; i++)
        {
            DrawRoad(frame, seed: i, noise: 4);
            gate.Plan(frame.GrayImage, Region, [], windows);
        }
        for (int i = 0; i < 6; i++)
        {
            int left = 200 + (24 * i), top = 300;
            DrawRoad(frame, seed: 10 + i, noise: 4);
            Paste(frame, vehicle, left, top);
            int n = gate.Plan(frame.GrayImage, Region, [], windows);
            Assert.True(n > 0, $"frame {i}: the gate saw no motion ({gate.LastTiles})");
            (int plateX, int plateY) = (left + 210 - 151, top + 90 - 28);
            Assert.Contains(windows[..n], w => Contains(w, plateX, plateY, 302, 56));
            long searched = windows[..n].Sum(w => w.Area);
            Assert.True(searched < (long)Width * Height / 2, $"frame {i}: {searched} pixels to search, half the picture or more");

            int plates = finder.Find(frame.GrayImage, Region, windows.AsSpan(0, n), found);
            Assert.Contains(found[..plates], c => c.X <= left + 210 && c.X + c.BoundsWidth >= left + 210 && c.Y <= top + 90 && c.Y + c.BoundsHeight >= top + 90);
        }
    }

    [Fact]
    public void Plan_FollowedPlateStandingStill_IsKeptInAWindow()
    {
        using var gate = new OpenCvMotionGate();
        var frame = new Frame(Width, Height);
        var windows = new SearchWindow[16];
        DrawRoad(frame, seed: 0, noise: 0);
        gate.Plan(frame.GrayImage, Region, [], windows);
        gate.Plan(frame.GrayImage, Region, [], windows);
        var followed = new SearchWindow(900, 500, 250, 50);
        int n = gate.Plan(frame.GrayImage, Region, [followed], windows);
        Assert.Equal(1, n);
        Assert.True(Contains(windows[0], followed.X, followed.Y, followed.Width, followed.Height), $"{windows[0]} does not hold {followed}");
    }

    [Fact]
    public void Plan_LightChangeOverTheWholePicture_AsksForAFullSearchThenSettles()
    {
        using var gate = new OpenCvMotionGate();
        var frame = new Frame(Width, Height);
        var windows = new SearchWindow[16];
        DrawRoad(frame, seed: 0, noise: 2);
        gate.Plan(frame.GrayImage, Region, [], windows);
        gate.Plan(frame.GrayImage, Region, [], windows);
        for (int i = 0; i < frame.Gray.Length; i++) frame.Gray[i] = (byte)Math.Min(255, frame.Gray[i] + 45);   // the IR lamp comes on
        Assert.Equal(-1, gate.Plan(frame.GrayImage, Region, [], windows));
        int last = -1;
        for (int i = 0; i < 12 && last != 0; i++) last = gate.Plan(frame.GrayImage, Region, [], windows);
        Assert.Equal(0, last);   // once the frames compared are both lit
    }

    [Fact]
    public void Plan_ImageSmallerThanATile_FailsNamingTheCall()
    {
        using var gate = new OpenCvMotionGate();
        var frame = new Frame(16, 16);
        var e = Assert.Throws<VisionException>(() => gate.Plan(frame.GrayImage, new FindRegion(0, 0, 16, 16, 4, 8), [], new SearchWindow[4]));
        Assert.Contains("ea_motion_update", e.Message, StringComparison.Ordinal);
    }
}
