using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Hosting;
using EdgeAgent.Vision;

namespace EdgeAgent.Benchmarks;

/// <summary>Frames of the bundled sample (synthetic 1080p roadside video) and its hardware profile.</summary>
public static class SampleFrames
{
    /// <summary>A frame with a plate in it (VT25SEP, coming towards the camera, 47 px high).</summary>
    public const int WithPlate = 40;

    /// <summary>A frame of empty road between two vehicles.</summary>
    public const int EmptyRoad = 70;

    public static string Video => AgentPaths.BundledSample;

    public static HardwareProfile Profile => HardwareProfileLoader.Load("anpr-1080p-ir", AgentPaths.HardwareProfiles);

    public static FindRegion Region
    {
        get
        {
            HardwareProfile p = Profile;
            return new FindRegion(p.Roi.X, p.Roi.Y, p.Roi.Width, p.Roi.Height, p.PlateHeightPx.Min, p.PlateHeightPx.Max);
        }
    }

    /// <summary>Decodes the sample up to frame <paramref name="index"/> (0-based) and returns that frame.</summary>
    public static Frame Decode(int index)
    {
        using VideoFrameSource source = VideoFrameSource.Open(Video);
        var frame = new Frame(source.Info.Width, source.Info.Height);
        for (int i = 0; i <= index; i++)
            if (source.Read(frame) != FrameReadResult.Frame) throw new InvalidOperationException($"{Video} has no frame {index}");
        frame.Index = index;
        return frame;
    }
}
