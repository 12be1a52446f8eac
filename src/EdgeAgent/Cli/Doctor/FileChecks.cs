using System.Globalization;

using EdgeAgent.Cli.Output;
using EdgeAgent.Platform;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// The outbox's filesystem has room for the outbox to grow to its cap (Storage:MaxBytes, what a long outage
/// fills) and still leave Storage:MinFreeBytes, the free space the agent keeps for the rest of the box.
/// </summary>
public sealed class DiskSpaceCheck : IDoctorCheck
{
    /// <summary>The room wanted when the outbox has no cap.</summary>
    public const long UncappedRoom = 256L * 1024 * 1024;

    public string Name => "disk space";

    public Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        StorageSettings storage = context.Settings.Storage;
        if (string.IsNullOrWhiteSpace(storage.Path))
            return Task.FromResult(CheckResult.Fail(Name, "Storage:Path is not set", "edgeagent provision (sets it to /var/lib/edgeagent/outbox.db)"));
        string folder = Path.GetDirectoryName(Path.GetFullPath(storage.Path))!;
        if (DiskSpace.Read(storage.Path) is not { } disk)
            return Task.FromResult(CheckResult.Fail(Name, $"the filesystem of {folder} cannot be examined", $"check that {folder} (or a parent) exists"));
        long used = new[] { "", "-wal", "-shm" }.Select(suffix => storage.Path + suffix).Where(File.Exists).Sum(f => new FileInfo(f).Length);
        long room = storage.MaxBytes > 0 ? Math.Max(0, storage.MaxBytes - used) : UncappedRoom;
        long needed = room + storage.MinFreeBytes;
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"{Size(disk.FreeBytes)} free of {Size(disk.TotalBytes)} for {folder}; the outbox ({Size(used)} now) may grow by {Size(room)} and {Size(storage.MinFreeBytes)} stays free");
        return Task.FromResult(disk.FreeBytes >= needed
            ? CheckResult.Pass(Name, detail)
            : CheckResult.Fail(Name, $"{detail}: {Size(needed - disk.FreeBytes)} short",
                "free space on that filesystem (old logs, core dumps), give the outbox a larger partition, or lower Storage:MaxBytes"));
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB");
}

/// <summary>
/// Secrets (the unit secret, the TLS client key, the MQTT password file) are owner-only and owned by the
/// service's user (else it cannot read them); files that decide behaviour (settings, profile, authority
/// key, policy) cannot be changed by other users.
/// </summary>
public sealed class KeyFilesCheck(string serviceUser, string? settingsFile) : IDoctorCheck
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                               UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    public string Name => "key permissions";

    public Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        AgentSettings s = context.Settings;
        var problems = new List<string>();
        var fixes = new List<string>();
        var ok = new List<string>();
        (uint Uid, uint Gid)? owner = UnixAccounts.Lookup(serviceUser);

        if (string.IsNullOrWhiteSpace(s.Privacy.KeyFile)) problems.Add("Privacy:KeyFile is not set");
        else Secret("unit secret", s.Privacy.KeyFile, required: true);
        foreach (var (what, file) in SecretFiles(s)) Secret(what, file, required: true);
        foreach (string? file in new[] { settingsFile, s.Privacy.AuthorityKeyFile, s.Privacy.PolicyFile, ProfilePath(context) })
        {
            if (string.IsNullOrWhiteSpace(file) || !File.Exists(file)) continue;
            UnixFileMode mode = File.GetUnixFileMode(file);
            if ((mode & WritableByOthers) != 0)
            {
                problems.Add($"{file} is writable by other users (mode {Octal(mode)})");
                fixes.Add($"chmod go-w {file}");
            }
        }
        if (problems.Count == 0)
            return Task.FromResult(CheckResult.Pass(Name, string.Join(", ", ok) + $"; owned by {serviceUser}, owner-only"));
        if (fixes.Count == 0) fixes.Add("edgeagent provision sets them right");
        return Task.FromResult(CheckResult.Fail(Name, string.Join("; ", problems), string.Join("; ", fixes.Distinct())));

        void Secret(string what, string file, bool required)
        {
            if (!File.Exists(file))
            {
                if (required) problems.Add($"{what} {file} does not exist");
                if (required) fixes.Add(what == "unit secret" ? $"edgeagent keys init --key {file}" : "edgeagent provision installs it");
                return;
            }
            UnixFileMode mode = File.GetUnixFileMode(file);
            if ((mode & GroupOrOther) != 0)
            {
                problems.Add($"{what} {file} is open to other users (mode {Octal(mode)})");
                fixes.Add($"chmod 600 {file}");
            }
            if (owner is { } o && FileOwner(file) is { } actual && actual != o.Uid)
            {
                problems.Add($"{what} {file} belongs to uid {actual}, so the service's user {serviceUser} cannot read it");
                fixes.Add($"chown {serviceUser}: {file}");
            }
            ok.Add($"{what} {Octal(mode)}");
        }
    }

    private static IEnumerable<(string What, string File)> SecretFiles(AgentSettings s)
    {
        if (!string.IsNullOrWhiteSpace(s.Mqtt.TlsKeyFile)) yield return ("TLS client key", s.Mqtt.TlsKeyFile);
        if (!string.IsNullOrWhiteSpace(s.Mqtt.PasswordFile)) yield return ("MQTT password file", s.Mqtt.PasswordFile);
    }

    private static string? ProfilePath(DoctorContext context) =>
        context.Settings.Camera.Profile.Contains('/', StringComparison.Ordinal) ? context.Settings.Camera.Profile : null;

    private static uint? FileOwner(string path)
    {
        try
        {
            return UnixAccounts.FileOwner(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}

/// <summary>The sharing policy in force (offered in settings, or accepted earlier) carries a valid signature of the authority key.</summary>
public sealed class PolicyCheck : IDoctorCheck
{
    public string Name => "policy signature";

    public Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        PrivacySettings p = context.Settings.Privacy;
        string accepted = string.IsNullOrWhiteSpace(context.Settings.Storage.Path) ? "" : p.ResolveAcceptedPolicyPath(context.Settings.Storage.Path);
        string? policy = !string.IsNullOrWhiteSpace(p.PolicyFile) ? p.PolicyFile : File.Exists(accepted) ? accepted : null;
        if (policy is null)
            return Task.FromResult(CheckResult.Pass(Name, "no signed policy installed: the built-in default is in force (the charging recipient only, no evidence)"));
        if (string.IsNullOrWhiteSpace(p.AuthorityKeyFile))
            return Task.FromResult(CheckResult.Fail(Name, $"{policy} cannot be checked: Privacy:AuthorityKeyFile is not set",
                "edgeagent provision --authority authority.pub (the key the policy was signed with)"));
        try
        {
            using AuthorityKey key = AuthorityKey.Load(p.AuthorityKeyFile);
            SharingPolicy verified = PolicyDocument.Verify(File.ReadAllBytes(policy), key);
            return Task.FromResult(CheckResult.Pass(Name,
                $"{policy}: version {verified.Version} signed by authority key {key.KeyId}; {PolicyStore.Describe(verified)}"));
        }
        catch (Exception e) when (e is PolicyException or PolicyRefusedException or IOException)
        {
            return Task.FromResult(CheckResult.Fail(Name, $"{policy} is refused: {e.Message}",
                "install a policy signed by the authority (edgeagent policy sign, then provision --policy), or remove Privacy:PolicyFile"));
        }
    }
}
