using System.Reflection;

using Microsoft.Extensions.Configuration;

using EdgeAgent.Core.Configuration;

namespace EdgeAgent.Settings;

/// <summary>
/// Builds the configuration in order of precedence (later wins): the embedded defaults,
/// /etc/edgeagent/appsettings.json, ./appsettings.json, EDGEAGENT_Section__Key environment variables,
/// then --Section:Key=value arguments. Binding refuses unknown keys, so a typo is an error, not a default.
/// </summary>
public static class SettingsLoader
{
    public const string EnvironmentPrefix = "EDGEAGENT_";
    public const string SystemConfigFile = "/etc/edgeagent/appsettings.json";

    /// <param name="modeDefaults">Defaults of the command (e.g. quieter logs for the demo), applied over the
    /// embedded defaults and under everything the user gives.</param>
    public static IConfigurationRoot Build(IReadOnlyList<string> settingArgs, string? configFile = null,
        IReadOnlyDictionary<string, string?>? modeDefaults = null)
    {
        Stream defaults = Assembly.GetExecutingAssembly().GetManifestResourceStream("appsettings.defaults.json")
                          ?? throw new InvalidOperationException("embedded appsettings.defaults.json is missing from the build");
        var builder = new ConfigurationBuilder()
            .AddJsonStream(defaults)
            .AddInMemoryCollection(modeDefaults ?? new Dictionary<string, string?>())
            .AddJsonFile(SystemConfigFile, optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new ConfigurationProblemException("--config", $"settings file {Path.GetFullPath(configFile)} does not exist");
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix).AddCommandLine([.. settingArgs]);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationProblemException("settings", $"a settings file is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Binds every section, collecting one message per unknown key or unconvertible value.</summary>
    public static AgentSettings Bind(IConfiguration configuration)
    {
        var settings = new AgentSettings();
        var problems = new List<string>();
        BindSection(configuration, "Camera", settings.Camera, problems);
        BindSection(configuration, "Mqtt", settings.Mqtt, problems);
        BindSection(configuration, "Storage", settings.Storage, problems);
        BindSection(configuration, "Privacy", settings.Privacy, problems);
        BindSection(configuration, "Ocr", settings.Ocr, problems);
        BindSection(configuration, "Tracking", settings.Tracking, problems);
        BindSection(configuration, "Finder", settings.Finder, problems);
        BindSection(configuration, "Health", settings.Health, problems);
        BindSection(configuration, "Evidence", settings.Evidence, problems);
        BindSection(configuration, "Retention", settings.Retention, problems);
        if (problems.Count > 0) throw new ConfigurationProblemException("settings", problems);
        return settings;
    }

    // Every setting is a scalar (text or number) or a list of small objects: find the property, convert the value.
    private static void BindSection(IConfiguration configuration, string name, object target, List<string> problems)
    {
        foreach (IConfigurationSection child in configuration.GetSection(name).GetChildren())
        {
            PropertyInfo? property = target.GetType().GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                string known = string.Join(", ", target.GetType().GetProperties().Select(p => p.Name));
                problems.Add($"{name}:{child.Key} is not a setting (known keys in {name}: {known})");
                continue;
            }
            if (ListElementType(property.PropertyType) is { } element && !UnknownKeysInList(name, child, element, problems)) continue;
            try
            {
                property.SetValue(target, child.Get(property.PropertyType));
            }
            catch (InvalidOperationException)
            {
                problems.Add($"{name}:{child.Key} is '{child.Value}', which is not a valid {Describe(property.PropertyType)}");
            }
        }
    }

    // A list of small objects (Camera:Sources): a misspelt key inside an item is a problem like any other.
    private static bool UnknownKeysInList(string section, IConfigurationSection list, Type element, List<string> problems)
    {
        bool clean = true;
        foreach (IConfigurationSection item in list.GetChildren())
        foreach (IConfigurationSection key in item.GetChildren())
        {
            if (element.GetProperty(key.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null) continue;
            string known = string.Join(", ", element.GetProperties().Select(p => p.Name));
            problems.Add($"{section}:{list.Key}:{item.Key}:{key.Key} is not a setting (known keys in each of {section}:{list.Key}: {known})");
            clean = false;
        }
        return clean;
    }

    private static Type? ListElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && type.GetGenericArguments()[0] is { IsClass: true } e && e != typeof(string) ? e : null;

    private static string Describe(Type type) => type == typeof(int) || type == typeof(long) ? "whole number" : type == typeof(double) ? "number" : type == typeof(bool) ? "true/false" : type.Name;
}
