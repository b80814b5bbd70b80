using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Tests.Contract;

/// <summary>
/// What every event_logs store must do (docs/codegen-events.md, "event_logs"): give a session's and a correlation id's events back
/// in time order (same-instant events in append order) with every field as written, keep sessions apart, and write an event id once.
/// </summary>
public abstract class CodegenEventLogContract
{
    protected abstract ICodegenEventLog Log { get; }

    static readonly DateTime Start = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    static CodegenEventRecord Event(Guid? session, string? correlation, int ms, string type = CodegenEventTypes.Request, string status = CodegenEventStatuses.Received,
        double? time = null, string? error = null, int? partition = 1, long? offset = 7) => new()
        {
            EventId = Guid.NewGuid(),
            SessionId = session,
            CorrelationId = correlation,
            EventType = type,
            Topic = type == CodegenEventTypes.Response ? "omninode_codegen_response_analyze_v1" : "omninode_codegen_request_analyze_v1",
            Partition = partition,
            Offset = offset,
            Timestamp = Start.AddMilliseconds(ms).AddTicks(ms * 10),
            Status = status,
            ProcessingTimeMs = time,
            Payload = new JsonObject { ["correlation_id"] = correlation, ["n"] = ms, ["nested"] = new JsonObject { ["list"] = new JsonArray(1, 2.5, "x"), ["flag"] = true } }.ToJsonString(),
            Error = error,
        };

    static void Same(CodegenEventRecord expected, CodegenEventRecord actual)
    {
        Assert.Equal(expected with { Payload = "" }, actual with { Payload = "", Timestamp = actual.Timestamp.ToUniversalTime() });
        // The payload is JSON: a store may respace it, never change it.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.Payload), JsonNode.Parse(actual.Payload)), $"{expected.Payload} came back as {actual.Payload}");
    }

    [Fact]
    public async Task A_sessions_events_come_back_in_time_order_with_every_field_and_other_sessions_apart()
    {
        var session = Guid.NewGuid();
        var other = Guid.NewGuid();
        var correlation = Guid.NewGuid().ToString("D");
        var request = Event(session, correlation, 10);
        var response = Event(session, correlation, 40, CodegenEventTypes.Response, CodegenEventStatuses.Completed, time: 30.25, partition: 3, offset: 12345678901);
        var status = Event(session, session.ToString("D"), 25, CodegenEventTypes.Status, CodegenEventStatuses.Processing, partition: null, offset: null);
        var failed = Event(session, "not-a-uuid", 50, CodegenEventTypes.Error, CodegenEventStatuses.Failed, time: 2.5, error: "the message is not JSON");
        var elsewhere = Event(other, correlation, 20);
        // Appended out of time order, in two batches, as the journal may.
        await Log.AppendAsync([response, elsewhere, request]);
        await Log.AppendAsync([failed, status]);

        var read = await Log.SessionAsync(session);
        Assert.Equal([request.EventId, status.EventId, response.EventId, failed.EventId], read.Select(e => e.EventId));
        Same(request, read[0]);
        Same(status, read[1]);
        Same(response, read[2]);
        Same(failed, read[3]);
        Assert.Equal([elsewhere.EventId], (await Log.SessionAsync(other)).Select(e => e.EventId));
        Assert.Empty(await Log.SessionAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_correlation_ids_events_span_sessions_in_time_order()
    {
        var correlation = "corr-" + Guid.NewGuid().ToString("N");
        var first = Event(Guid.NewGuid(), correlation, 5);
        var second = Event(Guid.NewGuid(), correlation, 6, CodegenEventTypes.Response, CodegenEventStatuses.Completed, time: 1);
        var unreadable = Event(null, correlation, 7, CodegenEventTypes.Error, CodegenEventStatuses.Failed, error: "session_id must be a UUID string");
        await Log.AppendAsync([unreadable, second, first, Event(Guid.NewGuid(), "another", 1)]);

        var read = await Log.CorrelatedAsync(correlation);
        Assert.Equal([first.EventId, second.EventId, unreadable.EventId], read.Select(e => e.EventId));
        Same(unreadable, read[2]);
        Assert.Empty(await Log.CorrelatedAsync("nobody-" + Guid.NewGuid()));
    }

    [Fact]
    public async Task An_event_id_is_written_once_and_events_of_one_instant_keep_their_append_order()
    {
        var session = Guid.NewGuid();
        var events = Enumerable.Range(0, 5).Select(i => Event(session, "c", 0) with { Payload = $$"""{"i":{{i}}}""" }).ToList();
        await Log.AppendAsync(events);
        // Redelivered: the same ids again, one with another payload, and twice within one batch.
        await Log.AppendAsync([events[2] with { Payload = """{"i":99}""" }, events[0], events[0]]);

        var read = await Log.SessionAsync(session);
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal("""{"i":2}""", JsonNode.Parse(read[2].Payload)!.ToJsonString());
    }

    [Fact]
    public async Task Reads_stop_at_the_limit_with_the_oldest()
    {
        var session = Guid.NewGuid();
        var events = Enumerable.Range(0, 8).Select(i => Event(session, "limited", 100 - i)).ToList();
        await Log.AppendAsync(events);
        Assert.Equal(events.OrderBy(e => e.Timestamp).Take(3).Select(e => e.EventId), (await Log.SessionAsync(session, limit: 3)).Select(e => e.EventId));
    }
}
