using System.Security.Cryptography;
using OmniBridge.Cli.Transparency;
using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;
using ClientCheckpoint = OmniBridge.Cli.Transparency.Checkpoint;
using ServiceCheckpoint = OmniBridge.Grains.Transparency.Checkpoint;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The client's own proof checks against the service's proofs for every tree size and leaf of a
/// small log, roots computed by the tests' independent RFC 9162 reading: all valid proofs pass,
/// and a proof moved to another leaf or root, or cut short, fails (the size is bound by the
/// signed checkpoint that states it with its root).
/// </summary>
public sealed class ClientProofTests
{
    const string Ns = "cli.proofs";
    const int Leaves = 40;

    [Fact]
    public void A_checkpoint_verifies_with_its_key_whatever_characters_the_keys_base64_holds_and_with_no_other()
    {
        // Standard base64 uses '+': a key whose public part holds one must still read as three fields.
        NoteKey? plus = null;
        for (var i = 0; i < 200 && plus is null; i++)
        {
            var key = NoteKey.Generate("cli.keys");
            if (key.VerifierKey.Split('+', 3)[2].Contains('+', StringComparison.Ordinal)) plus = key;
            else key.Dispose();
        }
        Assert.NotNull(plus);
        using var signer = plus;
        using var other = NoteKey.Generate("cli.keys");
        var note = ServiceCheckpoint.Sign(signer, "cli.keys/ns", 3, RandomNumberGenerator.GetBytes(32));

        var parsed = ClientCheckpoint.Parse(note);

        Assert.Equal(("cli.keys/ns", 3L), (parsed.Origin, parsed.Size));
        Assert.True(parsed.SignedBy(signer.VerifierKey));
        Assert.False(parsed.SignedBy(other.VerifierKey));
        Assert.False(ClientCheckpoint.Parse(note.Replace("\n3\n", "\n4\n", StringComparison.Ordinal)).SignedBy(signer.VerifierKey));
    }

    [Fact]
    public async Task Every_inclusion_and_consistency_proof_of_the_service_checks_and_no_altered_one_does()
    {
        var store = new InMemoryStampStore();
        var records = Enumerable.Range(0, Leaves).Select(i => Samples.Record(Convert.ToHexStringLower(SHA256.HashData([(byte)i])), Ns,
            createdAt: Samples.Noon.AddSeconds(i)) with
        { Sha256 = new string('5', 64) }).ToList();
        await store.AddBatchAsync(records);
        await store.IntegrateAsync(Ns, 1000, LogReader.Plan);
        var reader = new LogReader(store);
        var leaves = records.ConvertAll(LogLeaf.Of);
        var roots = Enumerable.Range(0, Leaves + 1).Select(n => Rfc9162.Root(leaves[..n])).ToList();

        for (var size = 1; size <= Leaves; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var path = await reader.InclusionAsync(Ns, index, size);
                var leafHash = MerkleProofs.LeafHash(leaves[index]);
                Assert.True(MerkleProofs.VerifyInclusion(index, size, leafHash, path, roots[size]), $"leaf {index} of {size}");
                Assert.False(MerkleProofs.VerifyInclusion((index + 1) % size == index ? index + 1 : (index + 1) % size, size, leafHash, path, roots[size]));
                Assert.False(MerkleProofs.VerifyInclusion(index, size, leafHash, path, roots[size - 1]));
                if (path.Count > 0) Assert.False(MerkleProofs.VerifyInclusion(index, size, leafHash, path.Skip(1).ToList(), roots[size]));
            }
            for (var old = 1; old <= size; old++)
            {
                var proof = await reader.ConsistencyAsync(Ns, old, size);
                Assert.True(MerkleProofs.VerifyConsistency(old, size, roots[old], roots[size], proof), $"{old} to {size}");
                if (old < size)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(old, size, roots[size], roots[size], proof));
                    Assert.False(MerkleProofs.VerifyConsistency(old, size, roots[old], roots[old], proof));
                    Assert.False(MerkleProofs.VerifyConsistency(old, size, roots[old], roots[size], [.. proof.Select((h, k) => k == 0 ? RandomNumberGenerator.GetBytes(32) : h)]));
                }
            }
        }
    }
}
