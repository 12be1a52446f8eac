using System.Numerics;
using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Scene;

namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// Builds each frame: copy the empty road, draw the vehicles in view (far to near), then the
/// region and frame effects. Plate textures are painted once per pass, on first use, and dropped
/// once the pass has left.
/// </summary>
internal sealed class FrameComposer(RoadsideCamera camera, TrafficPlan plan, GlyphAtlas atlas, Bgr24Frame day, Bgr24Frame night, int seed)
{
    private const int MaxBlurSamples = 24;
    private readonly Dictionary<int, PlateTexture> _textures = [];
    private readonly FrameEffects _effects = new(camera.Width * camera.Height, seed);
    private readonly List<VehiclePass> _active = [];
    private readonly List<(Vector2 Centre, float Size)> _lamps = [];
    private int[] _accumulator = [];

    public void Compose(int frameIndex, Bgr24Frame frame)
    {
        double t = (double)frameIndex / plan.Fps;
        Segment segment = plan.SegmentAt(t);
        Bgr24Frame background = segment.Night ? night : day;
        var light = new SceneLight(segment.Night);
        frame.CopyFrom(background);

        // Vehicles within half an exposure of the frame time may smear into it.
        double margin = segment.Exposure;
        _active.Clear();
        foreach (VehiclePass p in plan.Passes)
        {
            if (t >= p.TIn - margin && t <= p.TOut + margin)
            {
                _active.Add(p);
            }
        }

        // Far to near, so a nearer vehicle covers a farther one.
        _active.Sort((a, b) => b.PoseAtTime(t).Origin.Z.CompareTo(a.PoseAtTime(t).Origin.Z));
        if (segment.Exposure > 0 && _active.Count > 0)
        {
            DrawBlurred(frame, background, t, segment.Exposure, light);
        }
        else
        {
            foreach (VehiclePass p in _active)
            {
                VehicleRenderer.Draw(frame, camera, p, p.PoseAtTime(t), TextureFor(p), light, frame.Bounds);
            }
        }

        Span<Vector2> quad = stackalloc Vector2[4];
        if (segment.Night)
        {
            _lamps.Clear();
            foreach (VehiclePass p in _active)
            {
                VehicleRenderer.HeadLamps(camera, p, p.PoseAtTime(t), _lamps);
            }

            foreach ((Vector2 c, float size) in _lamps)
            {
                FrameEffects.Glow(frame, c.X, c.Y, size * 1.6, 230, frame.Bounds);
            }

            // Moving noise only where a reader looks, around each plate (see SensorNoise).
            PixelRect moving = default;
            foreach (VehiclePass p in _active)
            {
                if (VehicleGeometry.PlateQuad(camera, p, p.PoseAtTime(t), quad, out _))
                {
                    moving = moving.Union(VehicleGeometry.QuadBox(quad).Inflate(48).Intersect(frame.Bounds));
                }
            }

            _effects.SensorNoise(frame, moving);
        }

        // Compression comes last, as in a camera: it encodes the noisy sensor image.
        foreach (VehiclePass p in _active)
        {
            if ((p.Conditions & Conditions.JpegNoise) != 0
                && VehicleGeometry.PlateQuad(camera, p, p.PoseAtTime(t), quad, out _))
            {
                int quality = SeededRandom.Derive(seed, 5, p.Index).Next(12, 30);
                JpegArtifacts.Apply(frame, VehicleGeometry.QuadBox(quad).Inflate(24), quality);
            }
        }

        foreach (VehiclePass p in plan.Passes)
        {
            if (p.TOut + 1 < t)
            {
                _textures.Remove(p.Index);
            }
        }
    }

    /// <summary>
    /// Motion blur as a camera makes it: the average of the scene at several instants across the
    /// shutter time. Averaging whole vehicles costs tens of milliseconds a frame, so the vehicles are
    /// drawn sharp at mid-exposure and only the region each plate sweeps (with a margin of bumper
    /// around it) is replaced by the average; that is where a plate reader looks.
    /// </summary>
    private void DrawBlurred(Bgr24Frame frame, Bgr24Frame background, double t, double exposure, SceneLight light)
    {
        foreach (VehiclePass p in _active)
        {
            VehicleRenderer.Draw(frame, camera, p, p.PoseAtTime(t), TextureFor(p), light, frame.Bounds);
        }

        Span<Vector2> a = stackalloc Vector2[4];
        Span<Vector2> b = stackalloc Vector2[4];
        PixelRect region = default;
        double sweep = 0;
        foreach (VehiclePass p in _active)
        {
            if (VehicleGeometry.PlateQuad(camera, p, p.PoseAtTime(t - (exposure / 2)), a, out _)
                && VehicleGeometry.PlateQuad(camera, p, p.PoseAtTime(t + (exposure / 2)), b, out _))
            {
                double moved = 0;
                for (int i = 0; i < 4; i++)
                {
                    moved = Math.Max(moved, Vector2.Distance(a[i], b[i]));
                }

                sweep = Math.Max(sweep, moved);
                int margin = 12 + (int)Math.Ceiling(moved);
                region = region.Union(VehicleGeometry.QuadBox(a).Union(VehicleGeometry.QuadBox(b)).Inflate(margin));
            }
        }

        region = region.Intersect(frame.Bounds);
        if (region.IsEmpty)
        {
            return;
        }

        // About one sample per pixel and a half of travel: fewer shows as ghost copies.
        int samples = Math.Clamp((int)Math.Ceiling(sweep / 1.5) + 1, 2, MaxBlurSamples);
        int size = region.Width * region.Height * 3;
        if (_accumulator.Length < size)
        {
            _accumulator = new int[size];
        }

        Array.Clear(_accumulator, 0, size);
        for (int k = 0; k < samples; k++)
        {
            double tk = t + (exposure * (((k + 0.5) / samples) - 0.5));
            frame.CopyRegionFrom(background, region);
            foreach (VehiclePass p in _active)
            {
                VehicleRenderer.Draw(frame, camera, p, p.PoseAtTime(tk), TextureFor(p), light, region);
            }

            Accumulate(frame, region, add: true, samples);
        }

        Accumulate(frame, region, add: false, samples);
    }

    private void Accumulate(Bgr24Frame frame, PixelRect region, bool add, int samples)
    {
        int i = 0;
        for (int y = region.Y; y < region.Bottom; y++)
        {
            int o = (y * frame.Stride) + (region.X * 3);
            for (int x = 0; x < region.Width * 3; x++, i++)
            {
                if (add)
                {
                    _accumulator[i] += frame.Data[o + x];
                }
                else
                {
                    frame.Data[o + x] = (byte)((_accumulator[i] + (samples / 2)) / samples);
                }
            }
        }
    }

    private PlateTexture TextureFor(VehiclePass pass)
    {
        if (_textures.TryGetValue(pass.Index, out PlateTexture? texture))
        {
            return texture;
        }

        // Effects draw from a stream of the pass's own, so a plate looks the same however the
        // frames around it change.
        var rng = SeededRandom.Derive(seed, 4, pass.Index);
        var boxes = new List<CharBox>();
        PlateCanvas canvas = PlateRenderer.Render(atlas, pass.Plate, pass.Style, boxes);
        Conditions c = pass.AllConditions;
        if ((c & Conditions.Dirt) != 0)
        {
            PlateEffects.Dirt(canvas, rng);
        }

        if ((c & Conditions.Occlusion) != 0)
        {
            PlateEffects.Occlude(canvas, boxes, rng);
        }

        if ((c & Conditions.Glare) != 0)
        {
            PlateEffects.Glare(canvas, rng);
        }

        if ((c & Conditions.NightIr) != 0)
        {
            PlateEffects.NightIr(canvas, PlateRenderer.Background(pass.Side));
        }

        texture = canvas.ToTexture();
        _textures[pass.Index] = texture;
        return texture;
    }
}
