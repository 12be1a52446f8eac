using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Evidence;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Storage.Audit;
using EdgeAgent.Storage.Evidence;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Privacy.Tests;

public sealed class EvidenceDisclosureTests : IDisposable
{
    private const string ReadId = "01KAQ6F0X9S2B7Q3M4N5P6R7S8";
    private readonly TempDirectory _dir = new("edgeagent-disclosure");
    private readonly SqliteEvidenceStore _store;
    private readonly AuditLogFile _audit;
    private readonly AuthorityKey _authority;
    private readonly PolicyStore _policy;
    private readonly EvidenceDisclosure _disclosure;
    private readonly byte[] _plate = [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9];
    private readonly byte[] _overview = [0xFF, 0xD8, 4, 5, 6, 7, 0xFF, 0xD9];

    public EvidenceDisclosureTests()
    {
        _store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        _store.Store(new EvidenceRecord(ReadId, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), _plate, _overview, "{\"faces\":0}"));
        _audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var (privatePem, publicPem) = AuthorityKey.Generate();
        File.WriteAllText(_dir.File("a.key"), privatePem);
        File.WriteAllText(_dir.File("a.pub"), publicPem);
        _authority = AuthorityKey.Load(_dir.File("a.pub"));
        _policy = new PolicyStore(_dir.File(PolicyStore.AcceptedFileName), _authority, _audit);
        _disclosure = new EvidenceDisclosure(_store, _audit, _policy, "s1", "c1");
    }

    private void GrantPoliceEvidence()
    {
        using AuthorityKey signer = AuthorityKey.Load(_dir.File("a.key"));
        Assert.True(_policy.Offer(PolicyDocument.Sign(Encoding.UTF8.GetBytes(PolicyTests.PolicyJson(2)), signer), "test").Changed);
    }

    private static byte[] Request(string readId = ReadId, string requestId = "req-1", string? images = null) =>
        Encoding.UTF8.GetBytes($$"""{"v":1,"request_id":"{{requestId}}","read_id":"{{readId}}"{{(images is null ? "" : ",\"images\":" + images)}}}""");

    private static JsonElement Parse(byte[] payload) => JsonDocument.Parse(payload).RootElement;

    [Fact]
    public void Answer_RecipientAllowedEvidence_SendsTheImagesAfterAuditingTheDisclosure()
    {
        GrantPoliceEvidence();
        var answer = _disclosure.Answer("police/v1/s1/c1/evidence/request", Request());
        Assert.NotNull(answer);
        Assert.Equal("police/v1/s1/c1/evidence/response", answer.Value.Topic);
        JsonElement r = Parse(answer.Value.Payload);
        Assert.Equal("ok", r.GetProperty("status").GetString());
        Assert.Equal(_plate, r.GetProperty("plate_jpeg").GetBytesFromBase64());
        Assert.Equal(_overview, r.GetProperty("overview_jpeg").GetBytesFromBase64());

        AuditEntry disclosed = AuditVerifier.ReadAll(_audit.Path).Last();
        Assert.Equal(AuditKinds.EvidenceDisclosed, disclosed.Kind);
        Assert.Equal("police", disclosed.Details["recipient"]);
        Assert.Equal(ReadId, disclosed.Details["read_id"]);
        Assert.Equal("plate,overview", disclosed.Details["images"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_overview)), disclosed.Details["overview_sha256"]);
        Assert.Equal(1, _disclosure.Disclosed);
    }

    [Fact]
    public void Answer_OnlyThePlateAsked_SendsOnlyThePlate()
    {
        GrantPoliceEvidence();
        JsonElement r = Parse(_disclosure.Answer("police/v1/s1/c1/evidence/request", Request(images: "[\"plate\"]"))!.Value.Payload);
        Assert.True(r.TryGetProperty("plate_jpeg", out _));
        Assert.False(r.TryGetProperty("overview_jpeg", out _));
    }

    [Fact]
    public void Answer_RecipientWithoutEvidence_IsRefusedAndAudited()
    {
        GrantPoliceEvidence();
        var answer = _disclosure.Answer("anpr/v1/s1/c1/evidence/request", Request());   // charging: no evidence
        JsonElement r = Parse(answer!.Value.Payload);
        Assert.Equal("refused", r.GetProperty("status").GetString());
        Assert.False(r.TryGetProperty("plate_jpeg", out _));
        AuditEntry refused = AuditVerifier.ReadAll(_audit.Path).Last();
        Assert.Equal(AuditKinds.EvidenceRefused, refused.Kind);
        Assert.Equal("charging", refused.Details["recipient"]);
    }

    [Fact]
    public void Answer_UnderTheDefaultPolicy_NobodyGetsEvidence()
    {
        var answer = _disclosure.Answer("anpr/v1/s1/c1/evidence/request", Request());
        Assert.Equal("refused", Parse(answer!.Value.Payload).GetProperty("status").GetString());
        Assert.Null(_disclosure.Answer("police/v1/s1/c1/evidence/request", Request()));   // not a recipient at all: no answer
        Assert.Equal(0, _disclosure.Disclosed);
    }

    [Fact]
    public void Answer_UnknownOrPurgedRead_IsNotFound()
    {
        GrantPoliceEvidence();
        var answer = _disclosure.Answer("police/v1/s1/c1/evidence/request", Request(readId: "01KAQ6F0X9S2B7Q3M4N5P6R7S9"));
        Assert.Equal("not_found", Parse(answer!.Value.Payload).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"request_id\":\"r\"}")]
    [InlineData("{\"request_id\":\"has space\",\"read_id\":\"01KAQ6F0X9S2B7Q3M4N5P6R7S8\"}")]
    [InlineData("{\"request_id\":\"r\",\"read_id\":\"01KAQ6F0X9S2B7Q3M4N5P6R7S8\",\"images\":[\"face\"]}")]
    [InlineData("[1,2]")]
    public void Answer_MalformedRequest_IsInvalidWithTheReason(string request)
    {
        GrantPoliceEvidence();
        JsonElement r = Parse(_disclosure.Answer("police/v1/s1/c1/evidence/request", Encoding.UTF8.GetBytes(request))!.Value.Payload);
        Assert.Equal("invalid", r.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(r.GetProperty("reason").GetString()));
        Assert.False(r.TryGetProperty("plate_jpeg", out _));
    }

    [Fact]
    public void Answer_AuditLogDamaged_DisclosesNothing()
    {
        GrantPoliceEvidence();
        File.AppendAllText(_audit.Path, "damaged\n");
        JsonElement r = Parse(_disclosure.Answer("police/v1/s1/c1/evidence/request", Request())!.Value.Payload);
        Assert.Equal("refused", r.GetProperty("status").GetString());
        Assert.Contains("audit", r.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(r.TryGetProperty("overview_jpeg", out _));
        Assert.Equal(0, _disclosure.Disclosed);
    }

    public void Dispose()
    {
        _store.Dispose();
        _authority.Dispose();
        _dir.Dispose();
    }
}
