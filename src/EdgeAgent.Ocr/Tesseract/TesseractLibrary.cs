using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Ocr.Tesseract;

/// <summary>A Tesseract call failed; the message names the call and the fix.</summary>
public sealed class TesseractException : Exception
{
    public TesseractException(string message) : base(message) { }
    public TesseractException(string message, Exception inner) : base(message, inner) { }
    public TesseractException() { }
}

/// <summary>
/// Loads libtesseract.so.5 once. Tesseract is built with OpenMP, which reads OMP_THREAD_LIMIT when it
/// loads: set to 1 (through libc, since the runtime's own environment is not the C one), one plate at a
/// time runs about ten times faster on a small box than with OpenMP spinning threads.
/// </summary>
public static partial class TesseractLibrary
{
    public const string FileName = "libtesseract.so.5";

    /// <summary>Debian's English model folder (tesseract-ocr-eng).</summary>
    public const string DefaultDataPath = "/usr/share/tesseract-ocr/5/tessdata";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The resolver must be set before the first P/Invoke of this assembly.")]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(TesseractLibrary).Assembly, Resolve);

    /// <summary>Tesseract's version string, loading the library if needed.</summary>
    public static string Version()
    {
        try
        {
            return Marshal.PtrToStringUTF8(TessInterop.TessVersion()) ?? "?";
        }
        catch (DllNotFoundException e)
        {
            throw new TesseractException($"{FileName} could not be loaded: {e.Message}. Install it with ./install.sh --deps (Debian: libtesseract5 tesseract-ocr-eng).", e);
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != TessInterop.Library) return 0;
        // Only if nobody chose otherwise: an operator may raise it on a big box.
        if (Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") is null) _ = setenv("OMP_THREAD_LIMIT", "1", 0);
        return NativeLibrary.Load(FileName, assembly, searchPath);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
