using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// Single stamps written together (group commit) on a real server: the store contract holds, each
/// caller gets its own outcome, one record per key and one created event per record, and a stamp
/// the database refuses fails alone.
/// </summary>
public sealed class GroupCommitTests(PostgresDatabase database) : StampStoreContract, IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    readonly GroupCommitStampStore store = new(new PostgresStampStore(database.Data));
    readonly EventEnvelopes envelopes = new(Options.Create(new EventOptions { Environment = "group" }), TimeProvider.System);

    protected override IStampStore Store => store;

    public ValueTask DisposeAsync() => store.DisposeAsync();

    static string Ns() => "group.t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Concurrent_stamps_share_statements_and_each_caller_gets_its_own_outcome()
    {
        var ns = Ns();
        // 100 contents, each sent three times by different callers at once, every call with its created event.
        var records = Enumerable.Range(0, 300).Select(i => Samples.Record(Hash(i % 100), ns)).ToList();
        var before = store.Statements;
        var stored = await Task.WhenAll(records.Select(r => store.AddAsync(r, new StampOutboxEvents([envelopes.StampCreated(r, null)], []))));

        // Fewer statements than stamps: they were written together.
        Assert.True(store.Statements - before < 300, $"{store.Statements - before} statements for 300 stamps");
        foreach (var key in Enumerable.Range(0, 100))
        {
            var outcomes = Enumerable.Range(0, 3).Select(k => (Sent: records[key + 100 * k], Got: stored[key + 100 * k])).ToList();
            var created = Assert.Single(outcomes, o => o.Got.Created);
            Assert.Equal(created.Sent.StampId, created.Got.Record.StampId);
            Assert.All(outcomes, o => Assert.Equal(created.Sent.StampId, o.Got.Record.StampId));
        }
        Assert.Equal(100L, await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'"));
        Assert.Equal(100L, await database.ScalarAsync<long>($"SELECT count(*) FROM reducer_backlog WHERE namespace = '{ns}'"));
        // One stamp-created event per record, the created record's, and none for the calls that found it.
        var ids = string.Join(",", stored.Where(s => s.Created).Select(s => $"'{s.Record.StampId}'"));
        Assert.Equal(100L, await database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox WHERE event_id IN ({ids})"));
        var others = string.Join(",", records.Where(r => !stored.Any(s => s.Created && s.Record.StampId == r.StampId)).Select(r => $"'{r.StampId}'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox WHERE event_id IN ({others})"));
    }

    [Fact]
    public async Task Concurrent_lookups_each_get_their_own_record_or_none()
    {
        var ns = Ns();
        var records = Enumerable.Range(0, 100).Select(i => Samples.Record(Hash(1000 + i), ns)).ToList();
        await store.AddBatchAsync(records);

        // Each stored key asked for twice and as many keys that are not there, all at once.
        var found = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => store.FindAsync(ns, Hash(1000 + i % 200))));

        for (var i = 0; i < 300; i++)
        {
            if (i % 200 < 100) Assert.Equal(records[i % 200].StampId, found[i]?.StampId);
            else Assert.Null(found[i]);
        }
    }

    [Fact]
    public async Task A_stamp_the_database_refuses_fails_alone_and_the_others_in_its_group_are_stored()
    {
        var ns = Ns();
        var good = Enumerable.Range(0, 60).Select(i => Samples.Record(Hash(1000 + i), ns)).ToList();
        // PostgreSQL text cannot hold a NUL character.
        var refused = Samples.Record(Hash(999), ns, filePath: "bad\0path");
        var calls = good.Take(30).Append(refused).Concat(good.Skip(30)).Select(r => store.AddAsync(r)).ToList();

        var error = await Assert.ThrowsAsync<PostgresException>(() => calls[30]);
        Assert.Equal("22021", error.SqlState);
        var stored = await Task.WhenAll(calls.Where((_, i) => i != 30));
        Assert.All(stored, s => Assert.True(s.Created));
        Assert.Equal(60L, await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'"));
    }

    [Fact]
    public async Task Every_traced_stamp_shows_its_write_whether_it_went_alone_or_in_a_group()
    {
        var ns = Ns();
        using var callers = new ActivitySource("tests.group-commit.callers");
        var spans = new SpanCollection();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "tests.group-commit.callers" or GroupCommitStampStore.SourceName or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var traces = new List<ActivityTraceId>();
        var calls = new List<Task<StoredStamp>>();
        for (var i = 0; i < 40; i++)
        {
            using var request = callers.StartActivity("request " + i)!;
            traces.Add(request.TraceId);
            calls.Add(store.AddAsync(Samples.Record(Hash(5000 + i), ns)));
        }
        await Task.WhenAll(calls);
        // Forty stamps sent at once: some share a statement.
        Assert.Contains(traces, t => spans.OfTrace(t).Any(s => s.Source.Name == GroupCommitStampStore.SourceName && s.Links.Any()));

        // Each request's trace shows its write: the statement itself, or a link to the trace that holds it.
        foreach (var trace in traces)
        {
            var own = spans.OfTrace(trace);
            var write = Assert.Single(own, s => s.Source.Name == GroupCommitStampStore.SourceName);
            if (own.Any(s => s.Source.Name == "Npgsql" && s.ParentSpanId == write.SpanId)) continue;
            var link = Assert.Single(write.Links);
            Assert.Contains(spans.OfTrace(link.Context.TraceId), s => s.Source.Name == "Npgsql" && s.ParentSpanId == link.Context.SpanId);
        }
    }

    static string Hash(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
}
