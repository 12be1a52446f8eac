using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Storage.Audit;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Privacy.Tests;

public sealed class PolicyTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-policy");
    private readonly AuthorityKey _authority;
    private readonly AuthorityKey _authorityPublic;
    private readonly AuthorityKey _stranger;

    public PolicyTests()
    {
        _authority = KeyPair("authority", out _authorityPublic);
        _stranger = KeyPair("stranger", out _);
    }

    private AuthorityKey KeyPair(string name, out AuthorityKey publicHalf)
    {
        var (privatePem, publicPem) = AuthorityKey.Generate();
        File.WriteAllText(_dir.File(name + ".key"), privatePem);
        File.WriteAllText(_dir.File(name + ".pub"), publicPem);
        publicHalf = AuthorityKey.Load(_dir.File(name + ".pub"));
        return AuthorityKey.Load(_dir.File(name + ".key"));
    }

    public static string PolicyJson(int version, bool policeEvidence = true) => $$"""
        {
          "format": "edgeagent-policy/1",
          "version": {{version}},
          "issued_at": "2026-11-23T10:00:00Z",
          "issuer": "test authority",
          "recipients": [
            { "name": "charging", "topic_root": "anpr/v1/{site}/{camera}",
              "fields": ["plate_hash", "key_id", "time", "site", "camera", "lane", "direction", "confidence", "layout", "clock"] },
            { "name": "police", "topic_root": "police/v1/{site}/{camera}", "fields": ["plate_hash", "key_id", "time", "site", "camera"], "evidence": {{(policeEvidence ? "true" : "false")}} }
          ]
        }
        """;

    private byte[] Signed(int version, AuthorityKey? key = null) => PolicyDocument.Sign(Encoding.UTF8.GetBytes(PolicyJson(version)), key ?? _authority);

    [Fact]
    public void Verify_SignedByTheAuthority_ReturnsThePolicy()
    {
        SharingPolicy policy = PolicyDocument.Verify(Signed(3), _authorityPublic);
        Assert.Equal(3, policy.Version);
        Assert.Equal(["charging", "police"], policy.Recipients.Select(r => r.Name));
        Assert.True(policy.Find("police")!.Evidence);
        Assert.False(policy.Find("charging")!.Evidence);
        Assert.Equal("police/v1/s1/c1", policy.Find("police")!.Root("s1", "c1"));
    }

    [Fact]
    public void Verify_Unsigned_IsRefusedSayingSo()
    {
        string unsigned = $"{{\"policy\": {PolicyJson(3)}}}";
        var e = Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Encoding.UTF8.GetBytes(unsigned), _authorityPublic));
        Assert.Contains("not signed", e.Message, StringComparison.Ordinal);
        var bare = Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Encoding.UTF8.GetBytes(PolicyJson(3)), _authorityPublic));
        Assert.Contains("not a signed policy", bare.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAnotherKey_IsRefusedNamingBothKeys()
    {
        var e = Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Signed(3, _stranger), _authorityPublic));
        Assert.Contains(_stranger.KeyId, e.Message, StringComparison.Ordinal);
        Assert.Contains(_authorityPublic.KeyId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AlteredAfterSigning_IsRefused()
    {
        JsonNode doc = JsonNode.Parse(Signed(3))!;
        doc["policy"]!["recipients"]![1]!["fields"]!.AsArray().Add("lane");   // slip a field in
        var e = Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Encoding.UTF8.GetBytes(doc.ToJsonString()), _authorityPublic));
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignatureWithAKeyIdForgedToTheAuthoritys_IsRefused()
    {
        JsonNode doc = JsonNode.Parse(Signed(3, _stranger))!;
        doc["signature"]!["key_id"] = _authorityPublic.KeyId;
        Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Encoding.UTF8.GetBytes(doc.ToJsonString()), _authorityPublic));
    }

    [Fact]
    public void Verify_ReformattedDocument_StaysValid()
    {
        JsonNode doc = JsonNode.Parse(Signed(3))!;
        string compact = doc.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        Assert.Equal(3, PolicyDocument.Verify(Encoding.UTF8.GetBytes(compact), _authorityPublic).Version);
    }

    [Fact]
    public void Verify_NoAuthorityKeyConfigured_IsRefused()
    {
        var e = Assert.Throws<PolicyRefusedException>(() => PolicyDocument.Verify(Signed(3), null));
        Assert.Contains("Privacy:AuthorityKeyFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_MalformedPolicy_RefusesToSignAndNamesEveryProblem()
    {
        string bad = """{"format":"edgeagent-policy/1","version":0,"recipients":[{"name":"Police!","topic_root":"a/#","fields":["plate_text"]}],"colour":"red"}""";
        var e = Assert.Throws<PolicyException>(() => PolicyDocument.Sign(Encoding.UTF8.GetBytes(bad), _authority));
        Assert.Contains(e.Problems, p => p.Contains("'colour'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("version", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Police!", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("wildcard", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("plate_text", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_IsTheChargingRecipientWithTheChargingFieldsAndNoEvidence()
    {
        Recipient only = Assert.Single(SharingPolicy.Default.Recipients);
        Assert.Equal("charging", only.Name);
        Assert.Equal("anpr/v1/s/c", only.Root("s", "c"));
        Assert.True(only.Fields.SetEquals(ReadFields.ChargingDefault));
        Assert.False(only.Evidence);
    }

    [Fact]
    public void Offer_SignedNewerPolicy_IsAcceptedAuditedAndKeptAcrossRestarts()
    {
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var store = new PolicyStore(_dir.File(PolicyStore.AcceptedFileName), _authorityPublic, audit);
        SharingPolicy? changed = null;
        store.Changed += p => changed = p;
        PolicyDecision decision = store.Offer(Signed(2), "test");
        Assert.True(decision.Accepted && decision.Changed, decision.Message);
        Assert.Equal(2, store.Current.Version);
        Assert.Equal(2, changed?.Version);
        AuditEntry entry = Assert.Single(AuditVerifier.ReadAll(audit.Path));
        Assert.Equal(AuditKinds.PolicyAccepted, entry.Kind);
        Assert.Equal("2", entry.Details["version"]);
        Assert.Contains("police[", entry.Details["recipients"], StringComparison.Ordinal);

        var restarted = new PolicyStore(_dir.File(PolicyStore.AcceptedFileName), _authorityPublic, audit);
        Assert.Equal(2, restarted.Current.Version);
        Assert.Null(restarted.LoadProblem);
        // The same document again (a retained message after a reconnect) changes nothing and audits nothing.
        Assert.False(restarted.Offer(Signed(2), "test").Changed);
        Assert.Single(AuditVerifier.ReadAll(audit.Path));
    }

    [Fact]
    public void Offer_UnsignedOrWronglySigned_IsRefusedAuditedAndTheOldPolicyStays()
    {
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var store = new PolicyStore(_dir.File(PolicyStore.AcceptedFileName), _authorityPublic, audit);
        Assert.True(store.Offer(Signed(2), "file").Changed);

        PolicyDecision unsigned = store.Offer(Encoding.UTF8.GetBytes($"{{\"policy\": {PolicyJson(5)}}}"), "mqtt");
        PolicyDecision stranger = store.Offer(Signed(6, _stranger), "mqtt");
        PolicyDecision older = store.Offer(Signed(1), "file");
        Assert.All([unsigned, stranger, older], d => Assert.False(d.Accepted));
        Assert.Contains("not signed", unsigned.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", older.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Current.Version);
        Assert.Equal(2, PolicyDocument.Verify(File.ReadAllBytes(_dir.File(PolicyStore.AcceptedFileName)), _authorityPublic).Version);
        Assert.Equal([AuditKinds.PolicyAccepted, AuditKinds.PolicyRefused, AuditKinds.PolicyRefused, AuditKinds.PolicyRefused],
            AuditVerifier.ReadAll(audit.Path).Select(e => e.Kind));
    }

    [Fact]
    public void Load_AcceptedCopyEditedOnDisk_FallsBackToTheDefault()
    {
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        string accepted = _dir.File(PolicyStore.AcceptedFileName);
        new PolicyStore(accepted, _authorityPublic, audit).Offer(Signed(4), "file");
        File.WriteAllText(accepted, File.ReadAllText(accepted).Replace("police/v1/", "anyone/v1/", StringComparison.Ordinal));
        var store = new PolicyStore(accepted, _authorityPublic, audit);
        Assert.Equal(0, store.Current.Version);
        Assert.NotNull(store.LoadProblem);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _authorityPublic.Dispose();
        _stranger.Dispose();
        _dir.Dispose();
    }
}
