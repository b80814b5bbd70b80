using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Contract;

/// <summary>What every reducer ledger must do: fold each stored stamp exactly once, and save tallies only over the version read.</summary>
public abstract class NamespaceLedgerContract
{
    protected abstract IStampStore Store { get; }
    protected abstract INamespaceLedger Ledger { get; }

    static string Ns() => "ledger.t" + Guid.NewGuid().ToString("N")[..12];
    static string HashOf(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i + 7_000_000)));

    static Func<IReadOnlyList<ReducedStamp>, NamespaceTally> Onto(NamespaceTally tally) => stamps =>
    {
        var next = tally.Copy();
        foreach (var stamp in stamps) next.Apply(stamp, DateTime.UtcNow);
        return next;
    };

    [Fact]
    public async Task A_new_namespace_has_an_empty_tally_at_version_zero()
    {
        var saved = await Ledger.LoadAsync(Ns());
        Assert.Equal(0, saved.Version);
        Assert.Equal(0, saved.Tally.TotalStamps);
    }

    [Fact]
    public async Task Each_stored_stamp_is_folded_once_however_often_it_is_named()
    {
        var ns = Ns();
        var records = Enumerable.Range(0, 5).Select(i => Samples.Record(HashOf(i), ns, size: 10 * (i + 1)) with { ProcessingTimeMs = 2 }).ToList();
        await Store.AddBatchAsync(records);
        var ids = records.Select(r => r.StampId).ToList();

        var first = await Ledger.FoldAsync(ns, 0, ids.Take(3).ToList(), 100, Onto(new NamespaceTally()));
        Assert.NotNull(first);
        Assert.Equal((1, 3, 3L, 60L), (first.Version, first.Folded, first.Tally.TotalStamps, first.Tally.TotalSizeBytes));

        // Named again with two new ones, and one id the store never held: only the two new ones count.
        var second = await Ledger.FoldAsync(ns, first.Version, [.. ids, Guid.NewGuid()], 100, Onto(first.Tally));
        Assert.Equal((2, 2, 5L, 150L), (second!.Version, second.Folded, second.Tally.TotalStamps, second.Tally.TotalSizeBytes));

        var reloaded = await Ledger.LoadAsync(ns);
        Assert.Equal(2, reloaded.Version);
        Assert.Equal(5, reloaded.Tally.TotalStamps);
        Assert.Equal(2, reloaded.Tally.TotalProcessingTimeMs / reloaded.Tally.TotalStamps, 6);
    }

    [Fact]
    public async Task Each_workflow_is_counted_once_across_folds()
    {
        var ns = Ns();
        var (one, two) = (Guid.NewGuid(), Guid.NewGuid());
        var records = new[] { one, one, two, one, two }.Select((w, i) => Samples.Record(HashOf(400 + i), ns) with { WorkflowId = w })
            .Append(Samples.Record(HashOf(499), ns))
            .ToList();
        await Store.AddBatchAsync(records);

        var first = await Ledger.FoldAsync(ns, 0, records.Take(2).Select(r => r.StampId).ToList(), 100, Onto(new NamespaceTally()));
        var rest = await Ledger.FoldAsync(ns, first!.Version, records.Select(r => r.StampId).ToList(), 100, Onto(first.Tally));

        Assert.Equal(1, first.Tally.WorkflowsSeen);
        Assert.Equal(2, rest!.Tally.WorkflowsSeen);
        Assert.Equal(6, rest.Tally.TotalStamps);
    }

    [Fact]
    public async Task A_sweep_folds_what_no_event_named_up_to_its_limit()
    {
        var ns = Ns();
        await Store.AddBatchAsync(Enumerable.Range(100, 7).Select(i => Samples.Record(HashOf(i), ns)).ToList());

        var some = await Ledger.FoldAsync(ns, 0, null, 4, Onto(new NamespaceTally()));
        var rest = await Ledger.FoldAsync(ns, some!.Version, null, 4, Onto(some.Tally));
        var none = await Ledger.FoldAsync(ns, rest!.Version, null, 4, Onto(rest.Tally));

        Assert.Equal([4, 3, 0], new[] { some.Folded, rest.Folded, none!.Folded });
        Assert.Equal(7, none.Tally.TotalStamps);
        Assert.Equal(rest.Version, none.Version);   // nothing folded, nothing saved
    }

    [Fact]
    public async Task A_fold_over_a_stale_version_changes_nothing()
    {
        var ns = Ns();
        var records = Enumerable.Range(200, 2).Select(i => Samples.Record(HashOf(i), ns)).ToList();
        await Store.AddBatchAsync(records);
        await Ledger.FoldAsync(ns, 0, [records[0].StampId], 10, Onto(new NamespaceTally()));

        var stale = await Ledger.FoldAsync(ns, 0, [records[1].StampId], 10, Onto(new NamespaceTally()));

        Assert.Null(stale);
        var current = await Ledger.LoadAsync(ns);
        Assert.Equal(1, current.Tally.TotalStamps);
        // The refused fold did not mark its stamp: the next fold over the right version takes it.
        var next = await Ledger.FoldAsync(ns, current.Version, [records[1].StampId], 10, Onto(current.Tally));
        Assert.Equal(2, next!.Tally.TotalStamps);
    }

    [Fact]
    public async Task Racing_folds_of_one_namespace_count_every_stamp_exactly_once()
    {
        var ns = Ns();
        var records = Enumerable.Range(300, 40).Select(i => Samples.Record(HashOf(i), ns)).ToList();
        await Store.AddBatchAsync(records);

        // Four "activations" fold overlapping halves, reloading on every refusal, as the reducer does.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
        {
            var ids = records.Where((_, i) => (i + k) % 2 == 0).Select(r => r.StampId).ToList();
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var saved = await Ledger.LoadAsync(ns);
                if (await Ledger.FoldAsync(ns, saved.Version, ids, 100, Onto(saved.Tally)) is not null) return;
            }
            throw new InvalidOperationException("never folded");
        })));

        Assert.Equal(40, (await Ledger.LoadAsync(ns)).Tally.TotalStamps);
    }
}
