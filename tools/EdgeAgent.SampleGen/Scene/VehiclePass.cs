using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>
/// One vehicle driving through the view: its plate, body and path. The path is a straight line
/// through a reference point (the lane position <see cref="ReferenceZ"/> metres down the road),
/// parameterised by distance travelled, s; the planner finds the span of s in which the vehicle and
/// its plate are in frame and then places that span on the timeline.
/// </summary>
internal sealed class VehiclePass
{
    public const double ReferenceZ = 20.0;

    public required int Index { get; init; }

    public required PlateText Plate { get; init; }

    public required PlateStyle Style { get; init; }

    public required VehicleModel Model { get; init; }

    public required Bgr BodyColour { get; init; }

    /// <summary>1: the left lane, traffic going away (rear plates); 2: the right lane, oncoming (front plates).</summary>
    public required int Lane { get; init; }

    /// <summary>X of the vehicle's centre line where it crosses <see cref="ReferenceZ"/>.</summary>
    public required double LaneX { get; init; }

    public required double SpeedMps { get; init; }

    /// <summary>Heading relative to the lane, radians (a lane change, or a vehicle turning out).</summary>
    public required double Yaw { get; init; }

    /// <summary>Plate turned about the vertical relative to the body, radians (an angled bumper).</summary>
    public required double PlateYaw { get; init; }

    /// <summary>Plate tilt in its own plane, radians (a bent or badly fixed plate).</summary>
    public required double Roll { get; init; }

    /// <summary>The pass's own effects; the segment adds the scene-wide ones.</summary>
    public required Conditions Conditions { get; init; }

    public PlateSide Side => Style.Side;

    public Segment? Segment { get; set; }

    /// <summary>Path span with any part of the vehicle in frame.</summary>
    public double SIn { get; set; }

    public double SOut { get; set; }

    /// <summary>Path span with the whole plate in frame (from the planner's scan).</summary>
    public double SPlateIn { get; set; }

    public double SPlateOut { get; set; }

    /// <summary>When the vehicle first enters the frame, seconds from the start of the video.</summary>
    public double TIn { get; set; }

    public double TOut => TIn + ((SOut - SIn) / SpeedMps);

    public Conditions AllConditions => Conditions | (Segment?.Conditions ?? Conditions.None);

    public double PathAt(double t) => SIn + (SpeedMps * (t - TIn));

    public VehiclePose PoseAt(double s)
    {
        var along = new Vec3(Math.Sin(Yaw), 0, Math.Cos(Yaw));
        var right = new Vec3(Math.Cos(Yaw), 0, -Math.Sin(Yaw));
        // Oncoming vehicles (front plates) move towards the camera, against their 'along' axis.
        Vec3 motion = Side == PlateSide.Front ? -along : along;
        Vec3 reference = new(LaneX, 0, ReferenceZ);
        // The reference is the vehicle's centre line; the origin is its facing end on that line.
        return new VehiclePose(reference + (motion * s), right, along);
    }

    public VehiclePose PoseAtTime(double t) => PoseAt(PathAt(t));
}

/// <summary>
/// A stretch of video with one vehicle, or two in the two lanes at once, followed by empty road.
/// Scene-wide conditions (night, long exposure) belong to the segment, so lighting never changes
/// while a vehicle is in view.
/// </summary>
internal sealed class Segment
{
    public required int Index { get; init; }

    public required IReadOnlyList<VehiclePass> Passes { get; init; }

    /// <summary>Scene-wide conditions: <see cref="Conditions.NightIr"/>, <see cref="Conditions.MotionBlur"/>, <see cref="Conditions.TwoLane"/>.</summary>
    public required Conditions Conditions { get; init; }

    /// <summary>Shutter time in seconds for motion blur; 0 for a sharp (short) exposure.</summary>
    public required double Exposure { get; init; }

    /// <summary>When this segment's lighting takes over: half-way through the empty road before it.</summary>
    public double Start { get; set; }

    public bool Night => (Conditions & Conditions.NightIr) != 0;
}
