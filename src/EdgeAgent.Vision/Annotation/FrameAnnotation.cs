using System.Runtime.InteropServices;

using EdgeAgent.Core.Frames;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Annotation;

/// <summary>A colour, red-green-blue.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb Roi = new(255, 210, 0);
    public static readonly Rgb Lane = new(0, 200, 255);
    public static readonly Rgb Mask = new(255, 0, 200);
    public static readonly Rgb Plate = new(0, 255, 80);
    public static readonly Rgb Guide = new(255, 255, 255);
}

/// <summary>
/// Shapes to draw on a frame (the aim check): collected here, drawn by the bridge in one call. Labels are
/// ASCII; nothing drawn here ever holds a registration.
/// </summary>
public sealed unsafe class FrameAnnotation
{
    private readonly List<NativeMethods.AnnotatePoint> _points = [];
    private readonly List<(NativeMethods.AnnotateShape Shape, string? Label)> _shapes = [];

    public int Count => _shapes.Count;

    public void Rectangle(int x, int y, int width, int height, Rgb colour, string? label = null, int thickness = 3, byte fillAlpha = 0) =>
        Add(NativeMethods.ShapeRect, [(x, y), (x + width - 1, y + height - 1)], colour, label, thickness, fillAlpha);

    public void Polygon(IReadOnlyList<(int X, int Y)> points, Rgb colour, string? label = null, int thickness = 3, byte fillAlpha = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 3) throw new ArgumentException("a polygon needs at least 3 points", nameof(points));
        Add(NativeMethods.ShapePolygon, points, colour, label, thickness, fillAlpha);
    }

    public void Line(int x1, int y1, int x2, int y2, Rgb colour, string? label = null, int thickness = 2) =>
        Add(NativeMethods.ShapeLine, [(x1, y1), (x2, y2)], colour, label, thickness, 0);

    /// <summary>Draws every shape on the frame's BGR picture, in the order added.</summary>
    public void DrawOn(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        VisionNative.EnsureLoaded();
        var shapes = new NativeMethods.AnnotateShape[_shapes.Count];
        var labels = new List<nint>();
        try
        {
            for (int i = 0; i < _shapes.Count; i++)
            {
                shapes[i] = _shapes[i].Shape;
                if (_shapes[i].Label is { } text)
                {
                    nint label = Marshal.StringToCoTaskMemUTF8(text);
                    labels.Add(label);
                    shapes[i].Label = label;
                }
            }
            NativeMethods.AnnotatePoint[] points = [.. _points];
            fixed (byte* bgr = frame.Bgr)
            fixed (NativeMethods.AnnotatePoint* p = points)
            fixed (NativeMethods.AnnotateShape* s = shapes)
            {
                VisionNative.Check(NativeMethods.ea_annotate(bgr, frame.Width, frame.Height, frame.BgrStride, p, points.Length, s, shapes.Length), "ea_annotate");
            }
        }
        finally
        {
            foreach (nint label in labels) Marshal.FreeCoTaskMem(label);
        }
    }

    /// <summary>Writes the frame's BGR picture as PNG or JPEG (by the file's extension).</summary>
    public static void Write(Frame frame, string path)
    {
        ArgumentNullException.ThrowIfNull(frame);
        VisionNative.EnsureLoaded();
        fixed (byte* bgr = frame.Bgr)
        {
            VisionNative.Check(NativeMethods.ea_image_write(bgr, frame.Width, frame.Height, frame.BgrStride, Path.GetFullPath(path)), "ea_image_write");
        }
    }

    private void Add(int kind, IReadOnlyList<(int X, int Y)> points, Rgb colour, string? label, int thickness, byte fillAlpha)
    {
        var shape = new NativeMethods.AnnotateShape
        {
            Kind = kind, FirstPoint = _points.Count, PointCount = points.Count, R = colour.R, G = colour.G, B = colour.B,
            FillAlpha = fillAlpha, Thickness = thickness,
        };
        foreach (var (x, y) in points) _points.Add(new NativeMethods.AnnotatePoint { X = x, Y = y });
        _shapes.Add((shape, label));
    }
}
