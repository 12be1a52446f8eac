namespace EdgeAgent.Core.Configuration;

/// <summary>
/// Settings, a hardware profile or another input file is wrong. Carries one message per problem, each
/// naming the setting and the fix, so an engineer can mend them all in one go.
/// </summary>
public sealed class ConfigurationProblemException : Exception
{
    public ConfigurationProblemException(string source, IReadOnlyList<string> problems)
        : base(Format(source, problems))
    {
        Subject = source;
        Problems = problems;
    }

    public ConfigurationProblemException(string source, string problem) : this(source, [problem]) { }

    public ConfigurationProblemException() : this("configuration", "invalid") { }

    public ConfigurationProblemException(string message) : this("configuration", message) { }

    public ConfigurationProblemException(string message, Exception inner) : base(message, inner)
    {
        Problems = [message];
    }

    /// <summary>What is wrong: a setting ("Camera:Profile"), a file ("hardware profile x.json").</summary>
    public string Subject { get; } = "configuration";

    public IReadOnlyList<string> Problems { get; }

    private static string Format(string source, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"{source}: {problems[0]}"
            : $"{source} has {problems.Count} problems:{Environment.NewLine}" +
              string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}
