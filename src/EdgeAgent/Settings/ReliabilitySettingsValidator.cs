namespace EdgeAgent.Settings;

/// <summary>
/// The checks of the link (TLS, credentials), the outbox's limits and health: one message per problem, each
/// with its fix, added to <see cref="SettingsValidator"/>'s list. Messages name files, never their contents.
/// </summary>
public static class ReliabilitySettingsValidator
{
    public static void Check(AgentSettings s, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(problems);
        MqttSettings m = s.Mqtt;
        if (!(m.DrainRatePerSecond is >= 0.1 and <= 10_000))
            problems.Add($"Mqtt:DrainRatePerSecond is {m.DrainRatePerSecond}: expected 0.1..10000 backlog reads per second");

        bool tls = !string.IsNullOrWhiteSpace(m.TlsCaFile);
        bool cert = !string.IsNullOrWhiteSpace(m.TlsCertFile);
        bool key = !string.IsNullOrWhiteSpace(m.TlsKeyFile);
        if (tls) CheckReadable("Mqtt:TlsCaFile", m.TlsCaFile, secret: false, problems);
        if (cert != key)
            problems.Add("Mqtt:TlsCertFile and Mqtt:TlsKeyFile go together: set both (the unit's client certificate and its key) or neither");
        if ((cert || key) && !tls)
            problems.Add("Mqtt:TlsCertFile/TlsKeyFile need Mqtt:TlsCaFile: set the CA that signed the broker's certificate (the server is always verified)");
        if (cert) CheckReadable("Mqtt:TlsCertFile", m.TlsCertFile, secret: false, problems);
        if (key) CheckReadable("Mqtt:TlsKeyFile", m.TlsKeyFile, secret: true, problems);

        bool user = !string.IsNullOrWhiteSpace(m.Username);
        bool password = !string.IsNullOrWhiteSpace(m.PasswordFile);
        if (password && !user) problems.Add("Mqtt:PasswordFile needs Mqtt:Username: set the user name the password belongs to");
        if (password) CheckReadable("Mqtt:PasswordFile", m.PasswordFile, secret: true, problems);
        if (user && m.Username.Any(char.IsControl)) problems.Add("Mqtt:Username contains control characters: use a plain user name");

        StorageSettings st = s.Storage;
        if (st.MaxBytes != 0 && st.MaxBytes < Storage.OutboxLimits.MinimumCap)
            problems.Add($"Storage:MaxBytes is {st.MaxBytes}: use 0 (no cap) or at least {Storage.OutboxLimits.MinimumCap} bytes");
        if (st.MinFreeBytes < 0) problems.Add($"Storage:MinFreeBytes is {st.MinFreeBytes}: expected 0 (do not watch the disk) or more");
        if (st.ReserveBytes is < 0 or > 1L << 30) problems.Add($"Storage:ReserveBytes is {st.ReserveBytes}: expected 0..1073741824");

        if (s.Health.IntervalSeconds is < 1 or > 3600)
            problems.Add($"Health:IntervalSeconds is {s.Health.IntervalSeconds}: expected 1..3600");
    }

    /// <summary>Reads the password file: its first line, without the line end.</summary>
    public static string ReadPassword(string file)
    {
        using var reader = new StreamReader(file);
        return reader.ReadLine() ?? "";
    }

    private static void CheckReadable(string key, string path, bool secret, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{key} {path} does not exist: fix the path or install the file");
            return;
        }
        try
        {
            using var _ = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{key} {path} cannot be read ({e.Message}): give the agent's user read access");
            return;
        }
        if (secret && !OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
                problems.Add($"{key} {path} is readable by others: it holds a secret; run `chmod 600 {path}`");
        }
    }
}
