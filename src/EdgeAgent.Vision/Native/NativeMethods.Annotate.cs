using System.Runtime.InteropServices;

namespace EdgeAgent.Vision.Native;

// 1:1 with include/edgeagent_annotate.h (drawing for the aim check).
internal static unsafe partial class NativeMethods
{
    internal const int ShapeRect = 1;
    internal const int ShapePolygon = 2;
    internal const int ShapeLine = 3;

    [LibraryImport(Library, EntryPoint = "ea_annotate")]
    internal static partial int ea_annotate(byte* bgr, int width, int height, int stride, AnnotatePoint* points, int pointCount,
        AnnotateShape* shapes, int shapeCount);

    [LibraryImport(Library, EntryPoint = "ea_image_write", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ea_image_write(byte* bgr, int width, int height, int stride, string path);

    [StructLayout(LayoutKind.Sequential)]
    internal struct AnnotatePoint
    {
        public int X;
        public int Y;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct AnnotateShape
    {
        public int Kind;
        public int FirstPoint;
        public int PointCount;
        public byte B;
        public byte G;
        public byte R;
        public byte FillAlpha;
        public int Thickness;
        public nint Label;
    }
}
