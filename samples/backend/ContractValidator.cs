using NJsonSchema;

namespace EdgeAgent.BackendSample;

/// <summary>What a message on anpr/v1/# is, from its topic: anpr/v1/{site}/{camera}/{kind}.</summary>
public readonly record struct TopicParts(string Site, string Camera, string Kind)
{
    public string Unit => $"{Site}/{Camera}";

    public static TopicParts? Parse(string topic)
    {
        string[] levels = topic.Split('/');
        return levels.Length == 5 && levels[0] == "anpr" && levels[1] == "v1" ? new TopicParts(levels[2], levels[3], levels[4]) : null;
    }
}

/// <summary>
/// The contract's JSON Schemas (contract/v1/{kind}.schema.json), one per message kind. A payload is checked
/// against the schema of its topic's kind before anything reads it: a backend that trusts unchecked input
/// trusts every device on the network.
/// </summary>
public sealed class ContractValidator
{
    private readonly Dictionary<string, JsonSchema> _schemas;

    private ContractValidator(Dictionary<string, JsonSchema> schemas) => _schemas = schemas;

    public IEnumerable<string> Kinds => _schemas.Keys.Order(StringComparer.Ordinal);

    public static async Task<ContractValidator> LoadAsync(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"no contract schemas at {folder} (--schemas points at contract/v1)");
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*.schema.json"))
            schemas[Path.GetFileName(file)[..^".schema.json".Length]] = await JsonSchema.FromFileAsync(file).ConfigureAwait(false);
        return new ContractValidator(schemas);
    }

    public bool Knows(string kind) => _schemas.ContainsKey(kind);

    /// <summary>Null when the payload is valid for its kind, else what is wrong (first few errors).</summary>
    public string? Problem(string kind, string json)
    {
        if (!_schemas.TryGetValue(kind, out JsonSchema? schema)) return $"no schema for '{kind}' messages";
        try
        {
            ICollection<NJsonSchema.Validation.ValidationError> errors = schema.Validate(json);
            return errors.Count == 0 ? null : string.Join("; ", errors.Take(3).Select(e => $"{e.Path}: {e.Kind}"));
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            return "not JSON: " + e.Message;
        }
    }
}
