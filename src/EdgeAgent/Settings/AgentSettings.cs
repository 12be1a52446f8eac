namespace EdgeAgent.Settings;

// The settings tree, bound section by section from appsettings.json, EDGEAGENT_Section__Key environment
// variables and --Section:Key=value arguments. README "Configuration" documents every key.

public sealed class AgentSettings
{
    public CameraSettings Camera { get; set; } = new();
    public MqttSettings Mqtt { get; set; } = new();
    public StorageSettings Storage { get; set; } = new();
    public PrivacySettings Privacy { get; set; } = new();
    public OcrSettings Ocr { get; set; } = new();
    public TrackingSettings Tracking { get; set; } = new();
    public FinderSettings Finder { get; set; } = new();
    public HealthSettings Health { get; set; } = new();
    public EvidenceSettings Evidence { get; set; } = new();
    public RetentionSettings Retention { get; set; } = new();
}

public sealed class CameraSettings
{
    /// <summary>A video file, rtsp:// or http(s):// URL, /dev/videoN or v4l2:N.</summary>
    public string Source { get; set; } = "";

    /// <summary>A hardware profile name (hardware-profiles/NAME.json) or a path to a profile file.</summary>
    public string Profile { get; set; } = "anpr-1080p-ir";

    /// <summary>
    /// Several cameras on one box: each its own frame loop, all sharing the outbox and the MQTT connection.
    /// Empty: the one camera of <see cref="Source"/>, named by Mqtt:CameraId.
    /// </summary>
    public List<CameraSourceSettings> Sources { get; set; } = [];

    /// <summary>The cameras to run: <see cref="Sources"/>, or the single <see cref="Source"/> named <paramref name="singleCameraId"/>.</summary>
    public IReadOnlyList<CameraSourceSettings> EffectiveSources(string singleCameraId) =>
        Sources.Count > 0 ? Sources : [new CameraSourceSettings { Id = singleCameraId, Source = Source }];
}

/// <summary>One camera of Camera:Sources.</summary>
public sealed class CameraSourceSettings
{
    /// <summary>The camera's id: its topic level (anpr/v1/{site}/{id}/read) and the `camera` field of its reads.</summary>
    public string Id { get; set; } = "";

    /// <summary>As Camera:Source: a video file, rtsp:// or http(s):// URL, /dev/videoN or v4l2:N.</summary>
    public string Source { get; set; } = "";
}

public sealed class MqttSettings
{
    /// <summary>Broker host; empty means none configured (replay keeps reads in the outbox, demo starts one).</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 1883;
    public string Site { get; set; } = "demo-site";
    public string CameraId { get; set; } = "cam-01";
    /// <summary>MQTT client id; empty makes "edgeagent-{site}-{camera}".</summary>
    public string ClientId { get; set; } = "";
    public int KeepAliveSeconds { get; set; } = 30;
    public int MaxInFlight { get; set; } = 20;

    /// <summary>Backlog (historical) reads published per second at most after an outage.</summary>
    public double DrainRatePerSecond { get; set; } = 50;

    /// <summary>TLS: the CA that signed the broker's certificate (PEM). Set, the agent speaks TLS only, never plain text.</summary>
    public string TlsCaFile { get; set; } = "";

    /// <summary>TLS: this unit's client certificate (PEM); needs <see cref="TlsKeyFile"/>.</summary>
    public string TlsCertFile { get; set; } = "";

    /// <summary>TLS: this unit's private key (PEM, unencrypted, mode 0600).</summary>
    public string TlsKeyFile { get; set; } = "";

    /// <summary>MQTT user name, if the broker wants one.</summary>
    public string Username { get; set; } = "";

    /// <summary>A file (mode 0600) holding the MQTT password: never in settings, arguments or logs.</summary>
    public string PasswordFile { get; set; } = "";
}

public sealed class StorageSettings
{
    /// <summary>The outbox database file; empty gives a fresh temporary one for replay and demo.</summary>
    public string Path { get; set; } = "";

    /// <summary>The most the outbox's data may take, in bytes (0: no cap). Over it, the eviction rule runs.</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Free space to leave on the outbox's filesystem, in bytes (0: do not watch the disk).</summary>
    public long MinFreeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A ballast file beside the outbox, deleted when the disk is full so eviction has room (0: none).</summary>
    public long ReserveBytes { get; set; } = 1024 * 1024;
}

public sealed class PrivacySettings
{
    /// <summary>The unit secret (mode 0600); empty gives replay and demo a throwaway key beside the outbox.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>The time zone whose dates are charging days (IANA id).</summary>
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>The audit chain file; empty puts audit.jsonl beside the outbox (Storage:Path).</summary>
    public string AuditPath { get; set; } = "";

    /// <summary>How often the audit chain head is published (retained) on anpr/v1/{site}/{camera}/audit.</summary>
    public int AuditHeadSeconds { get; set; } = 60;

    /// <summary>The authority's public key (PEM, ECDSA P-256), installed with the unit: only policies it signed are accepted.</summary>
    public string AuthorityKeyFile { get; set; } = "";

    /// <summary>A signed sharing policy offered at start; empty keeps the policy in force (the built-in default until one is accepted).</summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>Where the accepted policy is kept: policy.accepted.json beside the audit log.</summary>
    public string ResolveAcceptedPolicyPath(string storagePath)
    {
        string audit = ResolveAuditPath(storagePath);
        return audit.Length == 0 ? "" : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(audit)!, EdgeAgent.Privacy.Policy.PolicyStore.AcceptedFileName);
    }

    /// <summary>The audit log's file: <see cref="AuditPath"/>, or audit.jsonl in the outbox's folder.</summary>
    public string ResolveAuditPath(string storagePath) =>
        !string.IsNullOrWhiteSpace(AuditPath) ? System.IO.Path.GetFullPath(AuditPath)
        : string.IsNullOrWhiteSpace(storagePath) ? ""
        : EdgeAgent.Storage.Audit.AuditLogFile.PathBeside(storagePath);
}

public sealed class OcrSettings
{
    public string TessDataPath { get; set; } = "/usr/share/tesseract-ocr/5/tessdata";

    /// <summary>Plate formats tried: auto (GB, then European and US), gb, eu or us.</summary>
    public string Grammar { get; set; } = "auto";

    /// <summary>Who reads the characters: classifier (the plate-trained network) or tesseract (the general fallback).</summary>
    public string Engine { get; set; } = "classifier";

    /// <summary>The classifier's model; empty means the shipped models/plate-chars.yml.gz.</summary>
    public string Model { get; set; } = "";
}

public sealed class TrackingSettings
{
    public int EndAfterMissedFrames { get; set; } = 6;
    public int MinObservations { get; set; } = 3;
    public double MinConfidence { get; set; } = 0.3;
    public int ReadSettledEvery { get; set; } = 2;
}

public sealed class FinderSettings
{
    /// <summary>On video, search only what moved and where followed plates should be (photos are always searched whole).</summary>
    public bool MotionGate { get; set; } = true;

    /// <summary>With the gate on, the whole region is searched every this many frames anyway (1: every frame).</summary>
    public int FullSearchEveryFrames { get; set; } = 25;
}

public sealed class HealthSettings
{
    /// <summary>Seconds between two health messages on .../health (and watchdog checks).</summary>
    public int IntervalSeconds { get; set; } = 30;
}

public sealed class EvidenceSettings
{
    /// <summary>Keep a redacted plate crop and overview per read (disclosed only on an authorised request).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Width of the overview copied from the best frame and redacted (pixels; the JPEG may shrink further to fit 25 KB).</summary>
    public int OverviewWidth { get; set; } = 960;

    /// <summary>Where opencv-data's Haar cascades are.</summary>
    public string CascadeFolder { get; set; } = "/usr/share/opencv4/haarcascades";

    /// <summary>
    /// Passes waiting for redaction at most; beyond this an image is dropped (counted), never its read. Each
    /// waiting pass holds its unredacted copy (about 1.9 MB at the default overview width): 6 keeps a
    /// 1080p agent under 200 MB replaying flat out, and is ample at a camera's pace (the sample kept 28 of 28 with 4).
    /// </summary>
    public int QueueLength { get; set; } = 6;

    /// <summary>
    /// The most the evidence images may take in the outbox's file (bytes); the oldest go first beyond it, so
    /// images never crowd reads out of the outbox's own cap (Storage:MaxBytes).
    /// </summary>
    public long MaxBytes { get; set; } = 128L * 1024 * 1024;
}

public sealed class RetentionSettings
{
    /// <summary>Delivered reads are deleted from the outbox this long after their delivery.</summary>
    public double DeliveredReadsHours { get; set; } = 24;

    /// <summary>Evidence images are deleted this long after the read they belong to.</summary>
    public double EvidenceHours { get; set; } = 72;

    /// <summary>How often the purge runs (also once at start).</summary>
    public int PurgeIntervalSeconds { get; set; } = 60;
}
