using System.Text;

using EdgeAgent.Privacy.Policy;
using EdgeAgent.TestSupport;

using FsCheck;
using FsCheck.Fluent;

namespace EdgeAgent.Privacy.Tests;

/// <summary>
/// Random damage to a signed sharing policy: every variant is either the very document that was signed
/// (accepted, unchanged) or refused with PolicyRefusedException and a message; nothing else is thrown and
/// no altered policy is ever accepted.
/// </summary>
public sealed class PolicyPropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly AuthorityKey _authority;
    private readonly AuthorityKey _public;

    public PolicyPropertyTests()
    {
        var (privatePem, publicPem) = AuthorityKey.Generate();
        File.WriteAllText(_dir.File("a.key"), privatePem);
        File.WriteAllText(_dir.File("a.pub"), publicPem);
        _authority = AuthorityKey.Load(_dir.File("a.key"));
        _public = AuthorityKey.Load(_dir.File("a.pub"));
    }

    public void Dispose()
    {
        _authority.Dispose();
        _public.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Verify_RandomlyDamagedSignedPolicy_AcceptedOnlyIfUnchangedElseRefusedWithAReason()
    {
        byte[] signed = PolicyDocument.Sign(Encoding.UTF8.GetBytes(PolicyTests.PolicyJson(7)), _authority);
        string text = Encoding.UTF8.GetString(signed);
        Gen<string> damaged = Gen.OneOf(
            Gen.Choose(0, text.Length).Select(n => text[..n]),                                               // cut off
            Gen.Zip(Gen.Choose(0, text.Length - 1), ArbMap.Default.GeneratorFor<char>())
                .Select(t => new StringBuilder(text) { [t.Item1] = t.Item2 }.ToString()),                   // one character changed
            Gen.Zip(Gen.Choose(0, text.Length), ArbMap.Default.GeneratorFor<NonNull<string>>())
                .Select(t => text.Insert(t.Item1, t.Item2.Get)),                                            // junk inserted
            Gen.Elements("\"police\"", "\"plate_hash\"", "7", "\"ES256\"", "true", "\"signature\"")
                .Select(w => ReplaceOnce(text, w, "\"x\"")));                                                // a token swapped
        Check.QuickThrowOnFailure(Prop.ForAll(damaged.ToArbitrary(), variant =>
        {
            try
            {
                SharingPolicy policy = PolicyDocument.Verify(Encoding.UTF8.GetBytes(variant), _public);
                // Accepted: then it says exactly what was signed (whitespace may differ, content may not).
                Assert.Equal(7, policy.Version);
                Assert.Equal(["charging", "police"], policy.Recipients.Select(r => r.Name));
                Assert.True(policy.Find("police")!.Evidence);
            }
            catch (PolicyRefusedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }));
    }

    private static string ReplaceOnce(string text, string what, string with)
    {
        int at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }
}
