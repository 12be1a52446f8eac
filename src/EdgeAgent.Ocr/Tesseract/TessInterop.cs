using System.Runtime.InteropServices;

namespace EdgeAgent.Ocr.Tesseract;

/// <summary>1:1 with tesseract/capi.h (Tesseract 5). Internal: only <see cref="TesseractEngine"/> calls it.</summary>
internal static unsafe partial class TessInterop
{
    internal const string Library = "tesseract";

    internal const int PsmSingleLine = 7;
    internal const int PsmSingleChar = 10;
    internal const int PsmRawLine = 13;
    internal const int LevelSymbol = 4;  // RIL_SYMBOL

    [LibraryImport(Library, EntryPoint = "TessVersion")]
    internal static partial nint TessVersion();

    [LibraryImport(Library, EntryPoint = "TessBaseAPICreate")]
    internal static partial SafeTessHandle TessBaseAPICreate();

    [LibraryImport(Library, EntryPoint = "TessBaseAPIDelete")]
    internal static partial void TessBaseAPIDelete(nint api);

    [LibraryImport(Library, EntryPoint = "TessBaseAPIInit3", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TessBaseAPIInit3(SafeTessHandle api, string? dataPath, string language);

    [LibraryImport(Library, EntryPoint = "TessBaseAPISetPageSegMode")]
    internal static partial void TessBaseAPISetPageSegMode(SafeTessHandle api, int mode);

    [LibraryImport(Library, EntryPoint = "TessBaseAPISetVariable", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TessBaseAPISetVariable(SafeTessHandle api, string name, string value);

    [LibraryImport(Library, EntryPoint = "TessBaseAPISetImage")]
    internal static partial void TessBaseAPISetImage(SafeTessHandle api, byte* data, int width, int height, int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Library, EntryPoint = "TessBaseAPISetSourceResolution")]
    internal static partial void TessBaseAPISetSourceResolution(SafeTessHandle api, int ppi);

    [LibraryImport(Library, EntryPoint = "TessBaseAPIRecognize")]
    internal static partial int TessBaseAPIRecognize(SafeTessHandle api, nint monitor);

    [LibraryImport(Library, EntryPoint = "TessBaseAPIClear")]
    internal static partial void TessBaseAPIClear(SafeTessHandle api);

    // Result iterators are created and deleted within one call of TesseractEngine.Recognize, per plate:
    // they stay raw pointers (try/finally) because a SafeHandle per read would allocate in the frame loop.
    [LibraryImport(Library, EntryPoint = "TessBaseAPIGetIterator")]
    internal static partial nint TessBaseAPIGetIterator(SafeTessHandle api);

    [LibraryImport(Library, EntryPoint = "TessResultIteratorNext")]
    internal static partial int TessResultIteratorNext(nint iterator, int level);

    [LibraryImport(Library, EntryPoint = "TessResultIteratorGetUTF8Text")]
    internal static partial byte* TessResultIteratorGetUTF8Text(nint iterator, int level);

    [LibraryImport(Library, EntryPoint = "TessResultIteratorConfidence")]
    internal static partial float TessResultIteratorConfidence(nint iterator, int level);

    [LibraryImport(Library, EntryPoint = "TessResultIteratorGetPageIterator")]
    internal static partial nint TessResultIteratorGetPageIterator(nint iterator);

    [LibraryImport(Library, EntryPoint = "TessPageIteratorBoundingBox")]
    internal static partial int TessPageIteratorBoundingBox(nint pageIterator, int level, out int left, out int top, out int right, out int bottom);

    [LibraryImport(Library, EntryPoint = "TessResultIteratorDelete")]
    internal static partial void TessResultIteratorDelete(nint iterator);

    [LibraryImport(Library, EntryPoint = "TessDeleteText")]
    internal static partial void TessDeleteText(byte* text);
}

/// <summary>Owns a TessBaseAPI; the only code that deletes it.</summary>
internal sealed class SafeTessHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        TessInterop.TessBaseAPIDelete(handle);
        return true;
    }
}
