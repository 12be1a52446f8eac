namespace EdgeAgent.Cli;

/// <summary>
/// Separates configuration overrides (--Section:Key=value or --Section:Key value) from the command line
/// proper, so that any setting can be given on the command line without the parser knowing it.
/// </summary>
public static class SettingArguments
{
    public static (string[] Command, string[] Settings) Split(IReadOnlyList<string> args)
    {
        var command = new List<string>();
        var settings = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (IsSetting(arg))
            {
                if (arg.Contains('=', StringComparison.Ordinal)) settings.Add(arg);
                else if (i + 1 < args.Count)
                {
                    settings.Add(arg + "=" + args[i + 1]);
                    i++;
                }
                else settings.Add(arg + "=");
            }
            else
            {
                command.Add(arg);
            }
        }
        return ([.. command], [.. settings]);
    }

    // "--Mqtt:Host=..." : a double dash, a section name, a colon. Command options never hold a colon.
    private static bool IsSetting(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 4 || !char.IsAsciiLetter(arg[2])) return false;
        int colon = arg.IndexOf(':', StringComparison.Ordinal);
        int equals = arg.IndexOf('=', StringComparison.Ordinal);
        return colon > 2 && (equals < 0 || colon < equals);
    }
}
