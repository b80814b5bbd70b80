using System.Text;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Contract;

/// <summary>
/// What every transparency log store must do (docs/transparency.md, "Storage"), checked with the
/// independent RFC 9162 verifier. Each implementation runs these same tests: the in-memory store of
/// the embedded default, and the PostgreSQL store.
/// </summary>
public abstract class TransparencyLogStoreContract
{
    protected abstract IStampStore Stamps { get; }
    protected abstract ITransparencyLogStore Log { get; }

    /// <summary>How many leaves of each tree size the proof test checks (all of them where proofs are cheap).</summary>
    protected virtual int LeavesPerSize => int.MaxValue;

    static string Ns() => "log.t" + Guid.NewGuid().ToString("N")[..12];

    static StampRecord Record(string ns, int i) => Samples.Record(Hex(SHA("b" + i)), ns, createdAt: Samples.Noon.AddMilliseconds(i), id: Guid.CreateVersion7()) with
    {
        Sha256 = Hex(SHA("s" + i)),
        FileSize = i,
    };

    static byte[] SHA(string s) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(s));
    static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    async Task<List<StampRecord>> AddAsync(string ns, int count)
    {
        var records = Enumerable.Range(0, count).Select(i => Record(ns, i)).ToList();
        foreach (var chunk in records.Chunk(97)) await Stamps.AddBatchAsync(chunk);
        return records;
    }

    [Fact]
    public async Task Records_get_consecutive_indices_in_creation_order_and_each_exactly_one_leaf()
    {
        var ns = Ns();
        var records = await AddAsync(ns, 10);

        var sizes = new List<long>();
        for (var i = 0; i < 4; i++) sizes.Add(await Log.IntegrateAsync(ns, 4, LogReader.Plan));

        Assert.Equal([4L, 8, 10, 10], sizes);
        Assert.Equal(10, await Log.SizeAsync(ns));
        for (var i = 0; i < records.Count; i++) Assert.Equal(i, (await Stamps.FindAsync(ns, records[i].FileHash))!.LogIndex);
        var entries = await Log.EntriesAsync(ns, 0, 100, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), entries.Select(e => e.Index));
        Assert.Equal(LogLeaf.Of(records[3]), entries[3].Leaf);
    }

    [Fact]
    public async Task A_duplicate_stamp_appends_nothing()
    {
        var ns = Ns();
        var first = Record(ns, 1);
        await Stamps.AddAsync(first);
        await Stamps.AddAsync(first with { StampId = Guid.NewGuid() });

        Assert.Equal(1, await Log.IntegrateAsync(ns, 100, LogReader.Plan));
        Assert.Equal(1, await Log.IntegrateAsync(ns, 100, LogReader.Plan));
    }

    [Fact]
    public async Task A_failed_integration_stores_nothing_and_the_next_one_takes_the_same_records()
    {
        var ns = Ns();
        var records = await AddAsync(ns, 3);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Log.IntegrateAsync(ns, 100, (_, _) => throw new InvalidOperationException("cut short")));

        Assert.Equal(0, await Log.SizeAsync(ns));
        Assert.Null((await Stamps.FindAsync(ns, records[0].FileHash))!.LogIndex);
        Assert.Equal(3, await Log.IntegrateAsync(ns, 100, LogReader.Plan));
        Assert.Equal(2, (await Stamps.FindAsync(ns, records[2].FileHash))!.LogIndex);
    }

    [Fact]
    public async Task Inclusion_and_consistency_proofs_of_every_size_to_300_verify_independently()
    {
        var ns = Ns();
        var records = await AddAsync(ns, 300);
        // Batches of irregular sizes, so that appends start at every kind of frontier.
        for (var batch = 1; await Log.SizeAsync(ns) < 300; batch = batch % 13 + 2) await Log.IntegrateAsync(ns, batch, LogReader.Plan);
        var leaves = records.ConvertAll(LogLeaf.Of);
        var roots = Enumerable.Range(0, 301).Select(n => Rfc9162.Root(leaves[..n])).ToList();
        var reader = new LogReader(Log);

        for (var size = 1; size <= 300; size++)
        {
            Assert.Equal(roots[size], await reader.RootAsync(ns, size));
            foreach (var index in LeavesOf(size))
            {
                var path = await reader.InclusionAsync(ns, index, size);
                Assert.True(Rfc9162.VerifyInclusion(index, size, Rfc9162.LeafHash(leaves[index]), path, roots[size]), $"leaf {index} of {size}");
            }
        }

        var random = new Random(15);
        for (var i = 0; i < 200; i++)
        {
            var to = random.Next(1, 301);
            var from = random.Next(1, to + 1);
            var proof = await reader.ConsistencyAsync(ns, from, to);
            Assert.True(Rfc9162.VerifyConsistency(from, to, roots[from], roots[to], proof), $"{from} to {to}");
        }
    }

    IEnumerable<int> LeavesOf(int size) => LeavesPerSize >= size
        ? Enumerable.Range(0, size)
        : new[] { 0, size - 1, size / 2, (size * 7) / 11 }.Distinct();

    [Fact]
    public async Task The_latest_checkpoint_is_the_largest_saved()
    {
        var ns = Ns();
        Assert.Null(await Log.CheckpointAsync(ns));

        await Log.SaveCheckpointAsync(ns, 5, "five");
        await Log.SaveCheckpointAsync(ns, 3, "three");

        Assert.Equal("five", await Log.CheckpointAsync(ns));
        await Log.SaveCheckpointAsync(ns, 5, "five again");
        Assert.Equal("five again", await Log.CheckpointAsync(ns));
    }

    [Fact]
    public async Task Namespaces_with_records_waiting_are_listed_until_integrated()
    {
        var ns = Ns();
        await AddAsync(ns, 2);

        Assert.Contains(ns, await Log.BackloggedNamespacesAsync(100_000));
        await Log.IntegrateAsync(ns, 100, LogReader.Plan);
        Assert.DoesNotContain(ns, await Log.BackloggedNamespacesAsync(100_000));
    }
}
