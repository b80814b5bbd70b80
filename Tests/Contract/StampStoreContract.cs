using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Contract;

/// <summary>
/// What every stamp store must do (docs/protocol.md, "Records and idempotency", §4 listing). Each implementation runs these same
/// tests: the in-memory store of the embedded default, and the PostgreSQL store.
/// </summary>
public abstract class StampStoreContract
{
    /// <summary>A store to test; each test uses its own namespaces, so one store may serve several tests.</summary>
    protected abstract IStampStore Store { get; }

    static string Ns() => "contract.t" + Guid.NewGuid().ToString("N")[..12];
    static string HashOf(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));

    [Fact]
    public async Task A_new_record_is_created_and_found_with_every_field_intact()
    {
        var ns = Ns();
        var record = Samples.Record(HashOf(1), ns, filePath: "src/a.py", contentType: "text/x-python") with
        {
            Metadata = new() { ["team"] = "build", ["ünïcode"] = "✓" },
            IntelligenceDataJson = """{"score":0.5,"tags":["a"]}""",
            Sha256 = HashOf(100),
        };

        var stored = await Store.AddAsync(record);
        var found = await Store.FindAsync(ns, record.FileHash);

        Assert.True(stored.Created);
        Assert.NotNull(found);
        Assert.Equal(record.StampId, found.StampId);
        Assert.Equal(record.CreatedAt, found.CreatedAt);
        Assert.Equal(record.FilePath, found.FilePath);
        Assert.Equal(record.FileSize, found.FileSize);
        Assert.Equal(record.ContentType, found.ContentType);
        Assert.Equal(record.StampType, found.StampType);
        Assert.Equal(record.Stamp, found.Stamp);
        Assert.Equal(record.OpId, found.OpId);
        Assert.Equal(record.Metadata, found.Metadata);
        Assert.Equal(record.Sha256, found.Sha256);
        Assert.Null(found.LogIndex);
        // Semantically equal: a JSON column may reorder keys and spacing.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(record.IntelligenceDataJson), JsonNode.Parse(found.IntelligenceDataJson)), found.IntelligenceDataJson);
    }

    [Fact]
    public async Task A_write_answers_with_the_record_exactly_as_a_lookup_finds_it()
    {
        // The answer to a stamp is built from what the write returns; a later lookup must show the
        // same record, JSON text and time included, whatever form the store keeps them in.
        var ns = Ns();
        var rich = Samples.Record(HashOf(300), ns) with
        {
            Metadata = new() { ["zeta"] = "1", ["alpha"] = "2" },
            IntelligenceDataJson = """{ "b" : 1,   "a": [1, 2] }""",
        };
        var single = await Store.AddAsync(rich);
        var batch = await Store.AddBatchAsync([
            Samples.Record(HashOf(301), ns),
            Samples.Record(HashOf(302), ns) with { IntelligenceDataJson = """{"x":  true}""" },
        ]);

        foreach (var stored in (IEnumerable<StoredStamp>)[single, .. batch])
        {
            Assert.True(stored.Created);
            var found = await Store.FindAsync(ns, stored.Record.FileHash);
            Assert.NotNull(found);
            Assert.Equal(found.IntelligenceDataJson, stored.Record.IntelligenceDataJson);
            Assert.Equal(found.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), stored.Record.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(found.CreatedAt.Kind, stored.Record.CreatedAt.Kind);
            Assert.Equal(found with { Metadata = stored.Record.Metadata }, stored.Record);
        }
    }

    [Fact]
    public async Task Adding_the_same_hash_again_returns_the_first_record_unchanged()
    {
        var ns = Ns();
        var first = Samples.Record(HashOf(2), ns);
        await Store.AddAsync(first);

        var again = await Store.AddAsync(Samples.Record(HashOf(2), ns, filePath: "other/path", createdAt: first.CreatedAt.AddMinutes(1)));

        Assert.False(again.Created);
        Assert.Equal(first.StampId, again.Record.StampId);
        Assert.Equal(first.CreatedAt, again.Record.CreatedAt);
        Assert.Null(again.Record.FilePath);
    }

    [Fact]
    public async Task The_same_hash_in_two_namespaces_is_two_records()
    {
        var (a, b) = (Ns(), Ns());
        var inA = await Store.AddAsync(Samples.Record(HashOf(3), a));
        var inB = await Store.AddAsync(Samples.Record(HashOf(3), b));

        Assert.True(inA.Created);
        Assert.True(inB.Created);
        Assert.NotEqual(inA.Record.StampId, inB.Record.StampId);
        Assert.Equal(b, (await Store.FindAsync(b, HashOf(3)))!.Namespace);
    }

    [Fact]
    public async Task Concurrent_identical_adds_create_exactly_one_record()
    {
        var ns = Ns();
        var attempts = Enumerable.Range(0, 64).Select(_ => Task.Run(() => Store.AddAsync(Samples.Record(HashOf(4), ns)))).ToList();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Record.StampId).Distinct());
        Assert.Single((await Store.ListAsync(ns, 100, null)).Records);
    }

    [Fact]
    public async Task A_batch_stores_each_hash_once_and_reports_repeats_and_known_ones_as_existing()
    {
        var ns = Ns();
        var known = Samples.Record(HashOf(10), ns);
        await Store.AddAsync(known);
        var batch = new[]
        {
            Samples.Record(HashOf(11), ns),
            Samples.Record(HashOf(10), ns),   // already stored
            Samples.Record(HashOf(12), ns),
            Samples.Record(HashOf(11), ns),   // repeated within the batch
        };

        var results = await Store.AddBatchAsync(batch);

        Assert.Equal([true, false, true, false], results.Select(r => r.Created));
        Assert.Equal(known.StampId, results[1].Record.StampId);
        Assert.Equal(results[0].Record.StampId, results[3].Record.StampId);
        Assert.Equal(3, (await Store.ListAsync(ns, 100, null)).Records.Count);
    }

    [Fact]
    public async Task A_missing_hash_or_namespace_is_not_found()
    {
        var ns = Ns();
        await Store.AddAsync(Samples.Record(HashOf(20), ns));
        Assert.Null(await Store.FindAsync(ns, HashOf(21)));
        Assert.Null(await Store.FindAsync(Ns(), HashOf(20)));
    }

    [Fact]
    public async Task Listing_is_newest_first_and_pages_cover_every_record_once()
    {
        var ns = Ns();
        var start = new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
        // Ten records share one millisecond: ties are ordered by stamp id, as PostgreSQL orders uuids.
        var records = Enumerable.Range(0, 25)
            .Select(i => Samples.Record(HashOf(100 + i), ns, createdAt: i < 10 ? start : start.AddMilliseconds(i)))
            .ToList();
        await Store.AddBatchAsync(records);
        var expected = records
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.StampId.ToString(), StringComparer.Ordinal)
            .Select(r => r.StampId)
            .ToList();

        var seen = new List<Guid>();
        StampCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(ns, 7, cursor);
            Assert.True(page.Records.Count <= 7);
            seen.AddRange(page.Records.Select(r => r.StampId));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task The_last_full_page_has_no_next_cursor()
    {
        var ns = Ns();
        await Store.AddBatchAsync(Enumerable.Range(0, 4).Select(i => Samples.Record(HashOf(200 + i), ns, createdAt: Samples.Noon.AddSeconds(i))).ToList());
        var page = await Store.ListAsync(ns, 4, null);
        Assert.Equal(4, page.Records.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task An_unknown_namespace_lists_an_empty_last_page()
    {
        var page = await Store.ListAsync(Ns(), 50, null);
        Assert.Empty(page.Records);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task A_cursor_past_the_oldest_record_gives_an_empty_page()
    {
        var ns = Ns();
        await Store.AddAsync(Samples.Record(HashOf(300), ns));
        var page = await Store.ListAsync(ns, 10, new StampCursor { CreatedAt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), StampId = Guid.Empty });
        Assert.Empty(page.Records);
    }
}
