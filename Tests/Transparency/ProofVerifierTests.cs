using System.Text;
using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Transparency;

/// <summary>What a verifier of the service's proofs must refuse, and the leaf format as the documentation spells it.</summary>
public sealed class ProofVerifierTests
{
    readonly InMemoryStampStore store = new();
    const string Ns = "proofs.tamper";

    async Task<(List<byte[]> Leaves, LogReader Reader)> LogOfAsync(int count)
    {
        var records = Enumerable.Range(0, count).Select(i => Samples.Record(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i])), Ns,
            createdAt: Samples.Noon.AddSeconds(i)) with
        { Sha256 = new string('5', 64) }).ToList();
        await store.AddBatchAsync(records);
        await store.IntegrateAsync(Ns, 1000, LogReader.Plan);
        return (records.ConvertAll(LogLeaf.Of), new LogReader(store));
    }

    [Fact]
    public async Task A_tampered_leaf_a_wrong_root_and_a_truncated_path_each_fail()
    {
        var (leaves, reader) = await LogOfAsync(21);
        var root = Rfc9162.Root(leaves);
        var path = await reader.InclusionAsync(Ns, 6, 21);
        Assert.True(Rfc9162.VerifyInclusion(6, 21, Rfc9162.LeafHash(leaves[6]), path, root));

        var tampered = (byte[])leaves[6].Clone();
        tampered[^2] ^= 1;
        Assert.False(Rfc9162.VerifyInclusion(6, 21, Rfc9162.LeafHash(tampered), path, root));
        Assert.False(Rfc9162.VerifyInclusion(6, 21, Rfc9162.LeafHash(leaves[6]), path, Rfc9162.Root(leaves[..20])));
        Assert.False(Rfc9162.VerifyInclusion(6, 21, Rfc9162.LeafHash(leaves[6]), path.Take(path.Count - 1).ToList(), root));
        Assert.False(Rfc9162.VerifyInclusion(7, 21, Rfc9162.LeafHash(leaves[6]), path, root));

        var consistency = await reader.ConsistencyAsync(Ns, 13, 21);
        Assert.True(Rfc9162.VerifyConsistency(13, 21, Rfc9162.Root(leaves[..13]), root, consistency));
        Assert.False(Rfc9162.VerifyConsistency(13, 21, Rfc9162.Root(leaves[..12]), root, consistency));
        Assert.False(Rfc9162.VerifyConsistency(13, 21, Rfc9162.Root(leaves[..13]), root, consistency.Take(consistency.Count - 1).ToList()));
    }

    [Fact]
    public void A_leaf_is_the_seven_lines_the_documentation_gives()
    {
        var record = Samples.Record(new string('b', 64), "acme.builds", createdAt: new DateTime(2026, 12, 6, 4, 5, 6, 7, DateTimeKind.Utc),
            id: Guid.Parse("01a249ae-1f36-7d87-9ca5-b0c3db44a237"), size: 42) with
        { Sha256 = new string('5', 64) };

        var expected = "omnibridge-leaf/v1\nnamespace acme.builds\nblake3 " + new string('b', 64) + "\nsha256 " + new string('5', 64)
            + "\nsize 42\nstamp 01a249ae-1f36-7d87-9ca5-b0c3db44a237\ntime 2026-12-06T04:05:06.007Z\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(LogLeaf.Of(record)));
    }

    [Fact]
    public void A_checkpoint_note_verifies_with_another_library_and_a_forged_one_does_not()
    {
        using var key = NoteKey.Generate("log.example.com");
        var root = Rfc9162.Root([Encoding.UTF8.GetBytes("a")]);
        var note = Checkpoint.Sign(key, "log.example.com/acme", 1, root);

        var parsed = SignedNote.Parse(note);
        Assert.Equal("log.example.com/acme", parsed.Origin);
        Assert.Equal(1, parsed.Size);
        Assert.Equal(root, parsed.Root);
        Assert.True(parsed.VerifiedBy(key.VerifierKey));

        var forged = SignedNote.Parse(note.Replace("\n1\n", "\n2\n", StringComparison.Ordinal));
        Assert.False(forged.VerifiedBy(key.VerifierKey));
        using var other = NoteKey.Generate("log.example.com");
        Assert.False(parsed.VerifiedBy(other.VerifierKey));
    }

    [Fact]
    public void A_signer_key_reads_back_as_the_same_key_and_a_corrupted_one_is_refused()
    {
        using var key = NoteKey.Generate("omnibridge.test");
        using var again = NoteKey.Parse(key.SignerKey);

        Assert.Equal(key.VerifierKey, again.VerifierKey);
        Assert.StartsWith("PRIVATE+KEY+omnibridge.test+", key.SignerKey, StringComparison.Ordinal);
        var badHash = key.SignerKey.Split('+', 5) is var p ? $"{p[0]}+{p[1]}+{p[2]}+00000000+{p[4]}" : "";
        Assert.Throws<FormatException>(() => NoteKey.Parse(badHash));
        Assert.Throws<FormatException>(() => NoteKey.Parse("PRIVATE+KEY+x"));
    }
}
