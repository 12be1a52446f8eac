using System.Text.Json;

namespace EdgeAgent.Privacy.Policy;

/// <summary>
/// A signed policy file: <c>{"policy": {…}, "signature": {"alg": "ES256", "key_id": "…", "value": "base64"}}</c>.
/// The signature is ECDSA P-256 with SHA-256 over <see cref="CanonicalJson"/> of the "policy" member, so
/// reformatting the file keeps it valid and any change of content breaks it.
/// </summary>
public static class PolicyDocument
{
    public const string Algorithm = "ES256";
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>
    /// Signs a policy: <paramref name="input"/> is a bare policy object or a signed document (re-signed).
    /// The policy is checked first: a malformed policy is never signed.
    /// </summary>
    public static byte[] Sign(ReadOnlySpan<byte> input, AuthorityKey key)
    {
        using JsonDocument doc = Parse(input);
        JsonElement policy = doc.RootElement.TryGetProperty("policy", out JsonElement inner) ? inner : doc.RootElement;
        SharingPolicy.Parse(policy);
        byte[] signature = key.Sign(CanonicalJson.Bytes(policy));
        using var output = new MemoryStream();
        using (var w = new Utf8JsonWriter(output, Indented))
        {
            w.WriteStartObject();
            w.WritePropertyName("policy");
            policy.WriteTo(w);
            w.WriteStartObject("signature");
            w.WriteString("alg", Algorithm);
            w.WriteString("key_id", key.KeyId);
            w.WriteString("value", Convert.ToBase64String(signature));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
        return output.ToArray();
    }

    /// <summary>
    /// The policy of a signed document, once its signature is checked against <paramref name="authority"/>.
    /// Throws <see cref="PolicyRefusedException"/> saying why it cannot be accepted (unsigned, signed by
    /// another key, altered, malformed).
    /// </summary>
    public static SharingPolicy Verify(ReadOnlySpan<byte> document, AuthorityKey? authority)
    {
        JsonDocument doc;
        try
        {
            doc = Parse(document);
        }
        catch (PolicyException e)
        {
            throw new PolicyRefusedException($"the policy is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("policy", out JsonElement policy))
                throw new PolicyRefusedException("the file is not a signed policy (no \"policy\" member): sign it with `edgeagent policy sign --key AUTHORITY.key --in FILE --out SIGNED`");
            if (!root.TryGetProperty("signature", out JsonElement signature) || signature.ValueKind != JsonValueKind.Object)
                throw new PolicyRefusedException("the policy is not signed: only a policy signed with the authority key is accepted (`edgeagent policy sign`)");
            string alg = Text(signature, "alg");
            if (alg != Algorithm) throw new PolicyRefusedException($"the signature's algorithm is '{alg}'; only {Algorithm} (ECDSA P-256, SHA-256) is accepted");
            if (authority is null)
                throw new PolicyRefusedException("no authority key is configured (Privacy:AuthorityKeyFile): without it no policy but the built-in default can be accepted");
            string keyId = Text(signature, "key_id");
            if (keyId != authority.KeyId)
                throw new PolicyRefusedException($"the policy is signed by key {(keyId.Length == 0 ? "(none named)" : keyId)}, but this unit trusts only authority key {authority.KeyId}");
            byte[] value;
            try
            {
                value = Convert.FromBase64String(Text(signature, "value"));
            }
            catch (FormatException)
            {
                throw new PolicyRefusedException("the signature value is not base64");
            }
            if (!authority.Verify(CanonicalJson.Bytes(policy), value))
                throw new PolicyRefusedException($"the signature does not match the policy: it was changed after signing, or not signed by authority key {authority.KeyId}");
            try
            {
                return SharingPolicy.Parse(policy);
            }
            catch (PolicyException e)
            {
                throw new PolicyRefusedException($"the signed policy is malformed: {e.Message}");
            }
        }
    }

    /// <summary>The policy of a document without checking its signature (to show what a file says).</summary>
    public static SharingPolicy ReadUnverified(ReadOnlySpan<byte> document)
    {
        using JsonDocument doc = Parse(document);
        return SharingPolicy.Parse(doc.RootElement.TryGetProperty("policy", out JsonElement inner) ? inner : doc.RootElement);
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static JsonDocument Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw new PolicyException($"not valid JSON ({e.Message})");
        }
    }
}

/// <summary>A policy was offered and cannot be accepted; the message says why and how to fix it.</summary>
public sealed class PolicyRefusedException : Exception
{
    public PolicyRefusedException(string message) : base(message) { }
    public PolicyRefusedException() { }
    public PolicyRefusedException(string message, Exception inner) : base(message, inner) { }
}
