using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Tesseract;

/// <summary>
/// One Tesseract instance (not thread-safe: one per processing thread), configured for a single line of
/// plate characters. Recognition appends A-Z/0-9 symbols with their confidences to a <see cref="PlateText"/>
/// and allocates nothing managed.
/// </summary>
public sealed unsafe class TesseractEngine : IDisposable
{
    public const string PlateAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly SafeTessHandle _api;

    public TesseractEngine(string dataPath = TesseractLibrary.DefaultDataPath, string language = "eng",
        int pageSegMode = TessInterop.PsmSingleLine, string whitelist = PlateAlphabet)
    {
        TesseractLibrary.Version();  // loads the library, or throws with the fix
        _api = TessInterop.TessBaseAPICreate();
        if (_api.IsInvalid) throw new TesseractException("TessBaseAPICreate returned null (out of memory?)");
        if (!File.Exists(Path.Combine(dataPath, language + ".traineddata")))
        {
            _api.Dispose();
            throw new TesseractException($"Tesseract model {language}.traineddata not found in {dataPath}: install tesseract-ocr-{language} (./install.sh --deps) or set Ocr:TessDataPath");
        }
        int status = TessInterop.TessBaseAPIInit3(_api, dataPath, language);
        if (status != 0)
        {
            _api.Dispose();
            throw new TesseractException($"TessBaseAPIInit3 failed ({status}) for language '{language}' in {dataPath}");
        }
        TessInterop.TessBaseAPISetPageSegMode(_api, pageSegMode);
        SetVariable("tessedit_char_whitelist", whitelist);
        // Quiet: no "Estimating resolution" lines on stderr for every plate.
        SetVariable("debug_file", "/dev/null");
    }

    public void SetVariable(string name, string value)
    {
        if (TessInterop.TessBaseAPISetVariable(_api, name, value) == 0)
            throw new TesseractException($"TessBaseAPISetVariable refused {name}={value}");
    }

    /// <summary>
    /// Recognises an 8-bit gray image (dark text on light) and appends the symbols it reads, each with
    /// its confidence in 0..1. Returns the number appended.
    /// </summary>
    public int Recognize(ReadOnlySpan<byte> gray, int width, int height, int stride, ref PlateText text)
    {
        if (gray.Length < (height - 1) * stride + width) throw new ArgumentException("image buffer too small", nameof(gray));
        int appended = 0;
        fixed (byte* pixels = gray)
        {
            TessInterop.TessBaseAPISetImage(_api, pixels, width, height, 1, stride);
            TessInterop.TessBaseAPISetSourceResolution(_api, 300);
            if (TessInterop.TessBaseAPIRecognize(_api, 0) != 0) return 0;
            nint iterator = TessInterop.TessBaseAPIGetIterator(_api);
            if (iterator == 0) return 0;
            try
            {
                do
                {
                    byte* symbol = TessInterop.TessResultIteratorGetUTF8Text(iterator, TessInterop.LevelSymbol);
                    if (symbol == null) continue;
                    char c = (char)symbol[0];
                    bool single = symbol[0] != 0 && symbol[1] == 0;
                    TessInterop.TessDeleteText(symbol);
                    if (!single || !IsPlateChar(c)) continue;
                    float confidence = TessInterop.TessResultIteratorConfidence(iterator, TessInterop.LevelSymbol) / 100f;
                    if (text.Append(c, Math.Clamp(confidence, 0f, 1f))) appended++;
                }
                while (TessInterop.TessResultIteratorNext(iterator, TessInterop.LevelSymbol) != 0);
            }
            finally
            {
                TessInterop.TessResultIteratorDelete(iterator);
            }
        }
        return appended;
    }

    private static bool IsPlateChar(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9';

    public void Dispose() => _api.Dispose();
}
