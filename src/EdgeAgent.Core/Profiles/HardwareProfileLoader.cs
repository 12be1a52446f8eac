using System.Text.Json;
using System.Text.Json.Serialization;

using EdgeAgent.Core.Configuration;

namespace EdgeAgent.Core.Profiles;

/// <summary>
/// Loads hardware profiles by name (from the profiles folder) or by path, and validates them so that a
/// typo fails at start with a message that names the field, never as odd behaviour on the pole.
/// </summary>
public static partial class HardwareProfileLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Resolves "anpr-1080p-ir" to &lt;folder&gt;/anpr-1080p-ir.json; a value with a slash or .json is a path.</summary>
    public static string Resolve(string nameOrPath, string profilesFolder)
    {
        bool isPath = nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return isPath ? Path.GetFullPath(nameOrPath) : Path.Combine(profilesFolder, nameOrPath + ".json");
    }

    public static HardwareProfile Load(string nameOrPath, string profilesFolder)
    {
        string path = Resolve(nameOrPath, profilesFolder);
        if (!File.Exists(path))
        {
            string known = Directory.Exists(profilesFolder)
                ? string.Join(", ", Directory.EnumerateFiles(profilesFolder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                : "none (folder " + profilesFolder + " is missing)";
            throw new ConfigurationProblemException("Camera:Profile",
                $"hardware profile '{nameOrPath}' not found at {path}; known profiles: {known}");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static HardwareProfile Parse(string json, string source)
    {
        ProfileDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<ProfileDocument>(json, Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new ConfigurationProblemException($"hardware profile {source}", $"is not valid JSON{where}: {e.Message}");
        }
        if (doc is null) throw new ConfigurationProblemException($"hardware profile {source}", "is empty");
        var problems = Validate(doc);
        if (problems.Count > 0) throw new ConfigurationProblemException($"hardware profile {source}", problems);
        return new HardwareProfile
        {
            Name = doc.Name!,
            Description = doc.Description ?? "",
            Width = doc.Width,
            Height = doc.Height,
            Fps = doc.Fps,
            Infrared = doc.Infrared,
            Transport = doc.Transport ?? "rtsp",
            PlateHeightPx = new PlateSize(doc.PlateHeightPx!.Min, doc.PlateHeightPx.Max),
            Roi = doc.Roi is { } r ? new Region(r.X, r.Y, r.Width, r.Height) : new Region(0, 0, doc.Width, doc.Height),
            Lanes = doc.Lanes is { Count: > 0 } lanes
                ? lanes.Select(l => new Lane(l.Name!, l.Direction!, l.XMin, l.XMax ?? doc.Width)).ToArray()
                : [new Lane("1", "unknown", 0, doc.Width)],
            Serial = ToSerialInputs(doc.Serial),
            PrivacyMasks = doc.PrivacyMasks is { } masks
                ? masks.Select((m, i) => new PrivacyMaskPolygon(m.Name ?? $"mask-{i + 1}", m.Points!.Select(p => (p[0], p[1])).ToArray())).ToArray()
                : [],
        };
    }

    private static List<string> Validate(ProfileDocument d)
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(d.Name)) p.Add("'name' is missing: give the profile a name, e.g. \"anpr-1080p-ir\"");
        if (d.Width is < 160 or > 8192) p.Add($"'width' is {d.Width}: expected the camera's frame width in pixels (160..8192)");
        if (d.Height is < 120 or > 8192) p.Add($"'height' is {d.Height}: expected the camera's frame height in pixels (120..8192)");
        if (d.Fps is <= 0 or > 240 || double.IsNaN(d.Fps)) p.Add($"'fps' is {d.Fps}: expected the camera's frame rate (1..240)");
        if (d.Transport is not (null or "file" or "rtsp" or "v4l2" or "http"))
            p.Add($"'transport' is '{d.Transport}': expected one of file, rtsp, v4l2, http");
        if (d.PlateHeightPx is null)
            p.Add("'plateHeightPx' is missing: give {\"min\": .., \"max\": ..}, the plate height range in pixels");
        else if (d.PlateHeightPx.Min < 8 || d.PlateHeightPx.Max < d.PlateHeightPx.Min || d.PlateHeightPx.Max > d.Height)
            p.Add($"'plateHeightPx' is {d.PlateHeightPx.Min}..{d.PlateHeightPx.Max}: need 8 <= min <= max <= height");
        if (d.Roi is { } r && (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0 || r.X + r.Width > d.Width || r.Y + r.Height > d.Height))
            p.Add($"'roi' ({r.X},{r.Y} {r.Width}x{r.Height}) must lie inside the {d.Width}x{d.Height} frame with a positive size");
        if (d.Lanes is { } lanes)
        {
            for (int i = 0; i < lanes.Count; i++)
            {
                var l = lanes[i];
                if (string.IsNullOrWhiteSpace(l.Name)) p.Add($"'lanes[{i}].name' is missing");
                if (string.IsNullOrWhiteSpace(l.Direction)) p.Add($"'lanes[{i}].direction' is missing (e.g. \"northbound\")");
                int xMax = l.XMax ?? d.Width;
                if (l.XMin < 0 || xMax <= l.XMin || xMax > d.Width)
                    p.Add($"'lanes[{i}]' spans x {l.XMin}..{xMax}: need 0 <= xMin < xMax <= width");
            }
        }
        ValidateSerial(d.Serial, p);
        if (d.PrivacyMasks is { } masks)
        {
            for (int i = 0; i < masks.Count; i++)
            {
                var points = masks[i].Points;
                if (points is null || points.Count < 3)
                    p.Add($"'privacyMasks[{i}].points' needs at least 3 points [x, y] (a polygon in frame pixels)");
                else if (points.Any(pt => pt is null || pt.Length != 2))
                    p.Add($"'privacyMasks[{i}].points' must hold pairs [x, y]");
                else if (points.Any(pt => pt[0] < 0 || pt[1] < 0 || pt[0] > d.Width || pt[1] > d.Height))
                    p.Add($"'privacyMasks[{i}]' has a point outside the {d.Width}x{d.Height} frame");
            }
        }
        return p;
    }

    // The file format; kept apart from HardwareProfile so that the domain type stays immutable and valid.
    private sealed class ProfileDocument
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
        public double Fps { get; set; }
        public bool Infrared { get; set; }
        public string? Transport { get; set; }
        public SizeDocument? PlateHeightPx { get; set; }
        public RegionDocument? Roi { get; set; }
        public List<LaneDocument>? Lanes { get; set; }
        public SerialDocument? Serial { get; set; }
        public List<MaskDocument>? PrivacyMasks { get; set; }
    }

    private sealed class MaskDocument
    {
        public string? Name { get; set; }
        public List<float[]>? Points { get; set; }
    }

    private sealed class SizeDocument
    {
        public int Min { get; set; }
        public int Max { get; set; }
    }

    private sealed class RegionDocument
    {
        public int X { get; set; }
        public int Y { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
    }

    private sealed class LaneDocument
    {
        public string? Name { get; set; }
        public string? Direction { get; set; }
        public int XMin { get; set; }
        public int? XMax { get; set; }
    }
}
