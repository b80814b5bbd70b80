using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Memory;

/// <summary>The embedded default with reducers that never sweep the store: every count they make came through the in-memory stream.</summary>
public sealed class StreamsOnlyService : SiloApp
{
    protected override void ConfigureServices(IServiceCollection services) => services.WithoutReducerSweep();
}

/// <summary>
/// docs/protocol.md, "Limits" and docs/architecture.md, "Events": records at every limit reach the
/// namespace reducer through the in-memory stream, which refuses a message larger than its 1 MiB
/// block, also when a batch creates many of them at once.
/// </summary>
public sealed class InMemoryStreamLimitTests(StreamsOnlyService service) : IClassFixture<StreamsOnlyService>
{
    [Fact]
    public async Task Records_at_every_limit_reach_the_reducer_through_the_in_memory_stream()
    {
        const string ns = "memory.limits";
        var fields = RecordLimitSamples.AtEveryLimit();
        var single = await service.Http.PostRawAsync(ApiCalls.Base + "/stamp", RecordLimitSamples.Request("at every limit", ns, fields).ToJsonString(), "application/json");
        Assert.True(single.Status == HttpStatusCode.Created, single.ToString());
        // Ten at once: together about 1.4 MB of records, more than one stream message may carry.
        var items = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)RecordLimitSamples.Request($"at every limit {i}", ns, fields))]);
        var batch = await service.Http.PostRawAsync(ApiCalls.Base + "/batch", new JsonObject { ["namespace"] = ns, ["items"] = items }.ToJsonString(), "application/json");
        Assert.Equal((HttpStatusCode.OK, "success"), (batch.Status, batch.EnvelopeStatus));

        await Eventually.TrueAsync(async () =>
            (await service.Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates").GetProperty("total_stamps").GetInt64() == 11,
            "the reducer counted all eleven records from the stream");
    }
}
