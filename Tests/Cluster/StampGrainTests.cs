using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster;

/// <summary>The stamp grains through their public interfaces, on a two-silo cluster.</summary>
public sealed class StampGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    IStampWorkerGrain Worker => fixture.Grains.GetGrain<IStampWorkerGrain>(0);
    static string Ns() => "cluster.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Stamping_creates_a_record_and_stamped_content_that_validates()
    {
        var ns = Ns();
        var outcome = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "print('hi')\n", FilePath = "hi.py" });

        Assert.True(outcome.Created);
        Assert.Equal(CanonicalContent.HashOf("print('hi')\n"), outcome.Record.FileHash);
        Assert.Equal(ns, outcome.Record.Namespace);
        Assert.Equal(12, outcome.Record.FileSize);
        Assert.Equal("0.1", outcome.Record.MetadataVersion);
        Assert.StartsWith($"# ONEX:uid={outcome.Record.StampId},hash={outcome.Record.FileHash},ts=", outcome.StampedContent, StringComparison.Ordinal);
        Assert.True((await Worker.ValidateAsync(new ValidationCommand { Text = outcome.StampedContent! })).IsValid);
    }

    [Fact]
    public async Task Concurrent_identical_stamps_across_both_silos_make_one_record()
    {
        var ns = Ns();
        var command = new StampCommand { Namespace = ns, Text = "same content" };
        // Stateless workers run on whichever silo the call lands on; 40 callers spread over both.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Worker.StampAsync(command)));

        Assert.Single(outcomes, o => o.Created);
        Assert.Single(outcomes.Select(o => o.Record.StampId).Distinct());
        Assert.All(outcomes, o => Assert.StartsWith($"# ONEX:uid={outcomes[0].Record.StampId},", o.StampedContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restamping_returns_the_record_unchanged_and_adds_no_stamp()
    {
        var ns = Ns();
        var first = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "body\n", Metadata = new() { ["a"] = "1" } });
        var again = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = first.StampedContent!, Metadata = new() { ["a"] = "2" } });

        Assert.False(again.Created);
        Assert.Equal(first.Record, again.Record with { Metadata = first.Record.Metadata });
        Assert.Equal("1", again.Record.Metadata["a"]);
        Assert.Equal(first.StampedContent, again.StampedContent);
    }

    [Fact]
    public async Task A_record_stamped_lightweight_answers_a_rich_request_with_its_own_uid()
    {
        var ns = Ns();
        var light = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "x = 1\n" });
        var rich = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "x = 1\n", Form = StampType.Rich });

        Assert.False(rich.Created);
        Assert.Equal(StampType.Lightweight, rich.Record.StampType);
        Assert.Contains("<!-- ONEX_METADATA_START -->", rich.StampedContent, StringComparison.Ordinal);
        Assert.Contains($"uid: {light.Record.StampId}", rich.StampedContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_content_is_hashed_raw_and_stamped_detached()
    {
        var ns = Ns();
        var bytes = "Hello World"u8.ToArray();
        var binary = await Worker.StampAsync(new StampCommand { Namespace = ns, Binary = bytes });
        var text = await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "Hello World" });

        Assert.Equal(StampType.Detached, binary.Record.StampType);
        Assert.Null(binary.StampedContent);
        Assert.Equal("application/octet-stream", binary.Record.ContentType);
        Assert.Equal(ContentHash.Of(bytes), binary.Record.FileHash);
        // The same bytes as text share the record.
        Assert.False(text.Created);
        Assert.Equal(binary.Record.StampId, text.Record.StampId);
    }

    [Fact]
    public async Task A_batch_returns_one_outcome_per_item_in_order()
    {
        var ns = Ns();
        var items = new[] { "a", "b", "a", "c" }.Select(t => new StampCommand { Namespace = ns, Text = t }).ToList();
        var outcomes = (await Worker.StampBatchAsync(new BatchStampCommand { BatchId = Guid.NewGuid(), Items = items })).Select(o => o.Outcome!).ToList();

        Assert.Equal([true, true, false, true], outcomes.Select(o => o.Created));
        Assert.Equal(outcomes[0].Record.StampId, outcomes[2].Record.StampId);
        Assert.Equal(3, (await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records.Count);
    }

    [Fact]
    public async Task A_bad_batch_item_is_refused_alone()
    {
        var ns = Ns();
        var items = new List<StampCommand>
        {
            new() { Namespace = ns, Text = "fine" },
            new() { Namespace = ns, Text = "a <!-- ONEX_METADATA_START --> b", Form = StampType.Rich },
            new() { Namespace = "Not Valid", Text = "x" },
        };
        var outcomes = await Worker.StampBatchAsync(new BatchStampCommand { BatchId = Guid.NewGuid(), Items = items });

        Assert.True(outcomes[0].Outcome!.Created);
        Assert.Equal(("VALIDATION_ERROR", "options.stamp_type"), (outcomes[1].ErrorCode, outcomes[1].ErrorField));
        Assert.Equal("INVALID_NAMESPACE", outcomes[2].ErrorCode);
        Assert.Single((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Theory]
    [InlineData(0, "EMPTY_BATCH")]
    [InlineData(1001, "BATCH_TOO_LARGE")]
    public async Task A_grain_client_batch_outside_the_limits_is_refused_as_the_api_refuses_it(int items, string code)
    {
        var ns = Ns();
        var refused = await Assert.ThrowsAsync<StampCommandException>(() => Worker.StampBatchAsync(new BatchStampCommand
        {
            BatchId = Guid.NewGuid(),
            Items = [.. Enumerable.Range(0, items).Select(i => new StampCommand { Namespace = ns, Text = $"item {i}" })],
        }));
        Assert.Equal(code, refused.Code);
        Assert.Equal("items", refused.Field);
        Assert.Empty((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Fact]
    public async Task A_malformed_command_is_refused_with_its_code_and_stores_nothing()
    {
        var ns = Ns();
        var refused = await Assert.ThrowsAsync<StampCommandException>(() =>
            Worker.StampAsync(new StampCommand { Namespace = "Bad Namespace", Text = "x" }));
        Assert.Equal("INVALID_NAMESPACE", refused.Code);

        var both = await Assert.ThrowsAsync<StampCommandException>(() =>
            Worker.StampAsync(new StampCommand { Namespace = ns, Text = "x", Binary = [1] }));
        Assert.Equal("VALIDATION_ERROR", both.Code);
        Assert.Empty((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Fact]
    public async Task The_reducer_folds_every_created_stamp_once()
    {
        var ns = Ns();
        await Worker.StampBatchAsync(new BatchStampCommand
        {
            BatchId = Guid.NewGuid(),
            Items = Enumerable.Range(0, 30).Select(i => new StampCommand { Namespace = ns, Text = $"item {i % 20}" }).ToList(),
        });

        var reducer = fixture.Grains.GetGrain<INamespaceReducerGrain>(ns);
        await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps >= 20, "the twenty stamps are folded");
        var aggregates = await reducer.GetAggregatesAsync();

        Assert.Equal(20, aggregates.TotalStamps);
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => $"item {i}".Length), aggregates.TotalSizeBytes);
        Assert.Equal(20, aggregates.ContentTypes["text/plain"]);
    }

    [Fact]
    public async Task Concurrent_single_stamps_in_two_namespaces_are_each_folded_once()
    {
        // Sent at once, their events travel together (StampCreatedFeed): none may be lost or doubled.
        var namespaces = new[] { Ns(), Ns() };
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Worker.StampAsync(new StampCommand { Namespace = namespaces[i % 2], Text = $"concurrent {i % 200}" })));

        foreach (var (ns, parity) in namespaces.Select((ns, k) => (ns, k)))
        {
            var expected = Enumerable.Range(0, 200).Where(i => i % 2 == parity).ToList();
            var reducer = fixture.Grains.GetGrain<INamespaceReducerGrain>(ns);
            await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps >= expected.Count, $"the {expected.Count} stamps of {ns} are folded");
            var aggregates = await reducer.GetAggregatesAsync();
            Assert.Equal(expected.Count, aggregates.TotalStamps);
            Assert.Equal(expected.Sum(i => $"concurrent {i}".Length), aggregates.TotalSizeBytes);
        }
    }

    [Fact]
    public async Task A_reducer_deactivated_and_reactivated_keeps_its_figures_and_never_counts_a_replay()
    {
        var ns = Ns();
        var outcomes = (await Worker.StampBatchAsync(new BatchStampCommand
        {
            BatchId = Guid.NewGuid(),
            Items = Enumerable.Range(0, 5).Select(i => new StampCommand { Namespace = ns, Text = $"keep {i}" }).ToList(),
        })).Select(o => o.Outcome!).ToList();
        var reducer = fixture.Grains.GetGrain<INamespaceReducerGrain>(ns);
        await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps == 5, "five stamps folded");
        var before = await reducer.GetAggregatesAsync();

        await fixture.Cluster.DeactivateAsync(reducer);
        await fixture.Cluster.WaitForDeactivationAsync(reducer);
        var after = await reducer.GetAggregatesAsync();
        Assert.Equal(before.TotalStamps, after.TotalStamps);
        Assert.Equal(before.TotalSizeBytes, after.TotalSizeBytes);
        Assert.Equal(before.MeanProcessingTimeMs, after.MeanProcessingTimeMs, 9);

        // The same five events again (a redelivery), then one new stamp: events of one stream arrive
        // in order, so once the new one is counted the replay has been seen too.
        await fixture.Grains.GetGrain<IEventReplayGrain>(0).ReplayAsync(outcomes.ConvertAll(o => o.Record));
        await Worker.StampAsync(new StampCommand { Namespace = ns, Text = "one more" });
        await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps >= 6, "the new stamp folded");
        Assert.Equal(6, (await reducer.GetAggregatesAsync()).TotalStamps);
    }
}
