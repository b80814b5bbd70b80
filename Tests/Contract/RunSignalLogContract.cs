using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Tests.Contract;

/// <summary>
/// What every run signal log must do (docs/runs.md, "Signals"): give a run's signals back in seq order from any
/// sequence number, of one type or all, keep runs apart, and ignore a seq it already holds.
/// </summary>
public abstract class RunSignalLogContract
{
    protected abstract IRunSignalLog Log { get; }

    static readonly DateTime Start = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);
    static readonly string[] Types = [RunSignals.AgentInitialized, RunSignals.AgentCompleted, RunSignals.DependencyResolved, RunSignals.AgentCompleted, RunSignals.StageCompleted];

    static RunSignal Signal(long seq, string? type = null, string sender = RunSignals.Coordinator, string[]? recipients = null, string? data = null) => new()
    {
        Seq = seq,
        SignalId = Guid.NewGuid(),
        SignalType = type ?? Types[(int)((seq - 1) % Types.Length)],
        Sender = sender,
        Recipients = recipients ?? [],
        At = Start.AddMilliseconds(seq),
        Data = data ?? $$$"""{"contract":"c{{{seq}}}","stage":"parse_contract","attempt":1,"nested":{"score":0.75,"names":["a","b"]}}""",
    };

    static void Same(RunSignal expected, RunSignal actual)
    {
        Assert.Equal((expected.Seq, expected.SignalId, expected.SignalType, expected.Sender), (actual.Seq, actual.SignalId, actual.SignalType, actual.Sender));
        Assert.Equal(expected.Recipients, actual.Recipients);
        Assert.Equal(expected.At, actual.At.ToUniversalTime());
        // The data is a JSON object: a store may respace it, never change it.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.Data), JsonNode.Parse(actual.Data)), $"{expected.Data} came back as {actual.Data}");
    }

    [Fact]
    public async Task Signals_come_back_in_seq_order_from_any_sequence_number_with_none_missing()
    {
        var run = Guid.NewGuid();
        var all = Enumerable.Range(1, 12).Select(i => Signal(i,
            sender: i % 2 == 0 ? "orders/generate_model" : RunSignals.Coordinator,
            recipients: i % 3 == 0 ? ["orders", "invoices"] : null)).ToList();
        // Appended in batches, as a coordinator appends them.
        await Log.AppendAsync(run, all[..5]);
        await Log.AppendAsync(run, all[5..6]);
        await Log.AppendAsync(run, all[6..]);

        for (var after = 0; after <= all.Count; after++)
        {
            var read = await Log.ReadAsync(run, after);
            Assert.Equal(Enumerable.Range(after + 1, all.Count - after).Select(i => (long)i), read.Select(s => s.Seq));
            foreach (var signal in read) Same(all[(int)signal.Seq - 1], signal);
        }
        Assert.Empty(await Log.ReadAsync(run, 100));
    }

    [Fact]
    public async Task The_type_filter_gives_only_that_type_in_seq_order()
    {
        var run = Guid.NewGuid();
        var all = Enumerable.Range(1, 10).Select(i => Signal(i)).ToList();
        await Log.AppendAsync(run, all);

        foreach (var type in RunSignals.All)
        {
            var expected = all.Where(s => s.SignalType == type).Select(s => s.Seq).ToList();
            Assert.Equal(expected, (await Log.ReadAsync(run, 0, type)).Select(s => s.Seq));
            Assert.Equal(expected.Where(seq => seq > 4), (await Log.ReadAsync(run, 4, type)).Select(s => s.Seq));
        }
        Assert.Equal([2L, 4L, 7L, 9L], (await Log.ReadAsync(run, 0, RunSignals.AgentCompleted)).Select(s => s.Seq));
    }

    [Fact]
    public async Task Appending_a_seq_already_there_changes_nothing()
    {
        var run = Guid.NewGuid();
        var first = Enumerable.Range(1, 4).Select(i => Signal(i)).ToList();
        await Log.AppendAsync(run, first);
        // A resumed coordinator hands over 3 and 4 again, with 5 and 6 after them; and the same batch twice.
        List<RunSignal> handedOver = [first[2], first[3], Signal(5), Signal(6)];
        await Log.AppendAsync(run, handedOver);
        await Log.AppendAsync(run, handedOver);
        // A signal under a seq the log holds, whatever it says, does not replace the one there.
        await Log.AppendAsync(run, [Signal(2, type: RunSignals.ErrorRecoveryCompleted, sender: "other/package_node", data: """{"other":true}""")]);

        var read = await Log.ReadAsync(run, 0);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], read.Select(s => s.Seq));
        var expected = first.Concat(handedOver.Skip(2)).ToList();
        for (var i = 0; i < expected.Count; i++) Same(expected[i], read[i]);
    }

    [Fact]
    public async Task Runs_are_kept_apart_and_an_unknown_run_reads_as_empty()
    {
        var (one, two) = (Guid.NewGuid(), Guid.NewGuid());
        var ofOne = Enumerable.Range(1, 3).Select(i => Signal(i)).ToList();
        var ofTwo = Enumerable.Range(1, 2).Select(i => Signal(i)).ToList();
        await Log.AppendAsync(one, ofOne);
        await Log.AppendAsync(two, ofTwo);
        await Log.AppendAsync(two, []);

        Assert.Equal(ofOne.Select(s => s.SignalId), (await Log.ReadAsync(one, 0)).Select(s => s.SignalId));
        Assert.Equal(ofTwo.Select(s => s.SignalId), (await Log.ReadAsync(two, 0)).Select(s => s.SignalId));
        Assert.Empty(await Log.ReadAsync(Guid.NewGuid(), 0));
        Assert.Empty(await Log.ReadAsync(Guid.NewGuid(), 0, RunSignals.AgentCompleted));
    }
}
