using System.Text;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Cluster.Processes;

/// <summary>
/// docs/transparency.md: a silo cluster shares one log per namespace and one key. Records stamped
/// through either silo get one leaf each, and either silo serves checkpoints and proofs that verify
/// with the shared verifier key.
/// </summary>
public sealed class TransparencyClusterTests : IAsyncLifetime
{
    LogKeys keys = null!;
    SiloClusterProcesses cluster = null!;

    public async Task InitializeAsync()
    {
        keys = await LogKeys.GenerateAsync("cluster.test");
        cluster = new SiloClusterProcesses(2, standaloneApi: false, new Dictionary<string, string>
        {
            ["LOG_SIGNING_KEY"] = keys.Signer, ["LOG_INTEGRATE_MS"] = "100", ["LOG_CHECKPOINT_MS"] = "100",
        });
        await cluster.InitializeAsync();
    }

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task Records_stamped_through_two_silos_get_one_leaf_each_and_either_silo_proves_them_with_the_shared_key()
    {
        const string ns = "log.cluster";
        var (a, b) = (cluster.Silos[0].Process.Http, cluster.Silos[1].Process.Http);
        var stamped = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).StampAsync($"cluster record {i}", ns)));
        var ids = stamped.Select(r => r.GetProperty("stamp_id").GetString()!).ToHashSet();

        SignedNote note = null!;
        await Eventually.TrueAsync(async () =>
        {
            note = SignedNote.Parse(await b.GetStringAsync($"/api/v1/transparency/{ns}/checkpoint"));
            return note.Size == 40;
        }, "a checkpoint of all 40 records", TimeSpan.FromSeconds(60));
        Assert.True(note.VerifiedBy(keys.Verifier), "the checkpoint verifies with the shared verifier key");
        Assert.Equal(keys.Verifier, (await a.GetStringAsync($"/api/v1/transparency/{ns}/key")).Trim());
        Assert.True(SignedNote.Parse(await a.GetStringAsync($"/api/v1/transparency/{ns}/checkpoint")).VerifiedBy(keys.Verifier));

        // One leaf per record, whichever silo stamped it, and the leaves make the signed root.
        var entries = (await a.GetReplyAsync($"/api/v1/transparency/{ns}/entries?start=0&limit=1000")).Data.GetProperty("entries").EnumerateArray()
            .Select(e => Convert.FromBase64String(e.GetProperty("leaf").GetString()!)).ToList();
        Assert.Equal(40, entries.Count);
        var leafStamps = entries.Select(l => Encoding.UTF8.GetString(l).Split('\n').Single(line => line.StartsWith("stamp ", StringComparison.Ordinal))[6..]).ToList();
        Assert.Equal(40, leafStamps.Distinct().Count());
        Assert.True(ids.SetEquals(leafStamps));
        Assert.Equal(note.Root, Rfc9162.Root(entries));

        // A record stamped through one silo, proved by the other.
        foreach (var (record, prover) in new[] { (stamped[1], a), (stamped[0], b) })
        {
            var proof = (await prover.GetReplyAsync($"/api/v1/transparency/{ns}/proof/inclusion?file_hash={record.GetProperty("file_hash").GetString()}")).Data;
            var leaf = Convert.FromBase64String(proof.GetProperty("leaf").GetString()!);
            var path = proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
            var signed = SignedNote.Parse(proof.GetProperty("checkpoint").GetString()!);
            Assert.True(signed.VerifiedBy(keys.Verifier));
            Assert.True(Rfc9162.VerifyInclusion(proof.GetProperty("leaf_index").GetInt64(), proof.GetProperty("tree_size").GetInt64(), Rfc9162.LeafHash(leaf), path, signed.Root));
        }
    }
}
