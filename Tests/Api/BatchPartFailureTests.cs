using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>
/// The embedded service, whose store becomes unavailable after a namespace's first batch write in
/// namespaces named <c>outage.*</c>: the database going away while a batch is stamped part by part.
/// </summary>
public sealed class OutageMidBatchService : SiloApp
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStampStore>(sp => new FailingAfterFirstBatch(sp.GetRequiredService<InMemoryStampStore>()));

    sealed class FailingAfterFirstBatch(IStampStore store) : IStampStore
    {
        readonly ConcurrentDictionary<string, int> batches = new();

        public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
            records.Count > 0 && records[0].Namespace.StartsWith("outage.", StringComparison.Ordinal) && batches.AddOrUpdate(records[0].Namespace, 1, (_, n) => n + 1) > 1
                ? throw new DependencyUnavailableException("PostgreSQL", "PostgreSQL is unavailable")
                : store.AddBatchAsync(records, events, cancellationToken);

        public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) => store.AddAsync(record, events, cancellationToken);
        public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) => store.FindAsync(namespaceName, fileHash, cancellationToken);
        public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) => store.ListAsync(namespaceName, limit, after, cancellationToken);
    }
}

/// <summary>docs/protocol.md, "Endpoints" (batches are stamped in parts): a batch larger than a part, when the store goes away between its parts.</summary>
public sealed class BatchPartFailureTests(OutageMidBatchService service) : IClassFixture<OutageMidBatchService>
{
    const string Path = ApiCalls.Base + "/batch";

    [Fact]
    public async Task The_parts_stored_before_an_outage_are_answered_and_the_rest_fail_item_by_item_as_unavailable()
    {
        var ns = "outage.t" + Guid.NewGuid().ToString("N")[..10];
        var reply = await service.Http.PostJsonAsync(Path, new { @namespace = ns, items = Enumerable.Range(0, 600).Select(i => new { content = $"item {i}" }) });

        Assert.Equal((HttpStatusCode.OK, "partial"), (reply.Status, reply.EnvelopeStatus));
        var results = reply.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(600, results.Count);
        Assert.All(results.Take(BatchStampingPart), r => Assert.True(r.GetProperty("created").GetBoolean()));
        Assert.All(results.Skip(BatchStampingPart), r => Assert.Equal("DEPENDENCY_UNAVAILABLE", r.GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal((BatchStampingPart, 600 - BatchStampingPart), (reply.Data.GetProperty("successful_items").GetInt32(), reply.Data.GetProperty("failed_items").GetInt32()));

        // What was answered as stamped is stored; what failed is not.
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{results[0].GetProperty("file_hash").GetString()}?namespace={ns}")).Status);
        Assert.Equal(BatchStampingPart, (await service.Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1000")).Data.GetProperty("stamps").GetArrayLength());
    }

    [Fact]
    public async Task An_outage_before_the_first_part_is_stored_answers_the_whole_batch_503()
    {
        var ns = "outage.t" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostJsonAsync(Path, new { @namespace = ns, items = new[] { new { content = "the first write" } } })).Status);

        var reply = await service.Http.PostJsonAsync(Path, new { @namespace = ns, items = Enumerable.Range(0, 600).Select(i => new { content = $"item {i}" }) });

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (reply.Status, reply.ErrorCode));
        Assert.Single((await service.Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
    }

    [Fact]
    public async Task Refused_items_sent_ahead_of_any_stored_part_do_not_start_the_answer_an_outage_is_still_503()
    {
        var ns = "outage.t" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostJsonAsync(Path, new { @namespace = ns, items = new[] { new { content = "the first write" } } })).Status);

        // A first part with every item refused stores nothing; the second part meets the outage.
        var items = Enumerable.Range(0, BatchStampingPart + 50).Select(i => i < BatchStampingPart ? (object)new { id = $"r{i}" } : new { id = $"s{i}", content = $"item {i}" });
        var reply = await service.Http.PostJsonAsync(Path, new { @namespace = ns, items });

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (reply.Status, reply.ErrorCode));
    }

    static int BatchStampingPart => OmniBridge.Api.Stamping.BatchStamping.PartSize;
}
