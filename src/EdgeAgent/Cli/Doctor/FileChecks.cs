using System.Globalization;

using EdgeAgent.Cli.Output;
using EdgeAgent.Platform;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli.Doctor;

/// <summary>The outbox's filesystem has room for a long outage's backlog.</summary>
public sealed class DiskSpaceCheck : IDoctorCheck
{
    /// <summary>Below this the outbox cannot hold a day's reads through an outage.</summary>
    public const long MinimumFreeBytes = 256L * 1024 * 1024;

    public string Name => "disk space";

    public Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = context.Settings.Storage.Path;
        if (string.IsNullOrWhiteSpace(path))
            return Task.FromResult(CheckResult.Fail(Name, "Storage:Path is not set", "edgeagent provision (sets it to /var/lib/edgeagent/outbox.db)"));
        // The outbox's folder may not exist before the first start: look at the nearest folder that does.
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        while (folder is not null && !Directory.Exists(folder)) folder = Path.GetDirectoryName(folder);
        var drive = new DriveInfo(folder ?? "/");
        long free = drive.AvailableFreeSpace, total = drive.TotalSize;
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"{Gib(free)} free of {Gib(total)} for {Path.GetDirectoryName(Path.GetFullPath(path))}");
        return Task.FromResult(free >= MinimumFreeBytes
            ? CheckResult.Pass(Name, detail)
            : CheckResult.Fail(Name, $"{detail}, less than {Gib(MinimumFreeBytes)}",
                "free space on that filesystem (old logs, core dumps) or give the outbox a larger partition"));
    }

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0#} GiB");
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

    // The TLS key and the MQTT password file, when configured (settings added by the secure-link work).
    private static IEnumerable<(string What, string File)> SecretFiles(AgentSettings s)
    {
        foreach (var (what, property) in new[] { ("TLS client key", "TlsKeyFile"), ("MQTT password file", "PasswordFile") })
            if (typeof(MqttSettings).GetProperty(property)?.GetValue(s.Mqtt) is string { Length: > 0 } file)
                yield return (what, file);
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
