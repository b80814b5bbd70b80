using Orleans.Storage;

namespace OmniBridge.Tests.Contract;

/// <summary>
/// What every grain storage of the silo must do (docs/architecture.md, "Persistence"): give a grain back the state it
/// last wrote, refuse a write from a stale read (the ETag), let exactly one of several first writes win, clear, and
/// keep what it stored apart from the grain's own object.
/// </summary>
public abstract class GrainStorageContract
{
    [GenerateSerializer]
    public sealed record class Counter
    {
        [Id(0)] public int Value { get; set; }
        [Id(1)] public string Note { get; set; } = "";
        [Id(2)] public List<string> Items { get; set; } = [];
    }

    protected abstract IGrainStorage Storage { get; }

    /// <summary>A grain of its own for each test: stores may be shared by the tests of a class.</summary>
    static GrainId NewGrain() => GrainId.Create("probe", Guid.NewGuid().ToString("N"));

    static async Task<GrainState<Counter>> ReadAsync(IGrainStorage storage, GrainId id)
    {
        var state = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", id, state);
        return state;
    }

    [Fact]
    public async Task A_grain_never_written_reads_as_absent_with_a_default_state()
    {
        var state = await ReadAsync(Storage, NewGrain());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task A_written_state_reads_back_and_a_write_from_a_stale_read_is_refused_keeping_the_newer()
    {
        var id = NewGrain();
        var first = new GrainState<Counter>(new Counter { Value = 1, Note = "one", Items = ["a"] });
        await Storage.WriteStateAsync("counter", id, first);
        Assert.NotNull(first.ETag);

        var other = await ReadAsync(Storage, id);
        Assert.True(other.RecordExists);
        Assert.Equal((1, "one"), (other.State!.Value, other.State.Note));
        Assert.Equal(["a"], other.State.Items);

        first.State!.Value = 2;
        await Storage.WriteStateAsync("counter", id, first);             // from the current ETag: accepted
        other.State.Value = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("counter", id, other));   // stale

        Assert.Equal(2, (await ReadAsync(Storage, id)).State!.Value);
    }

    [Fact]
    public async Task Of_several_first_writes_of_a_grain_exactly_one_wins()
    {
        var id = NewGrain();
        var writes = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Storage.WriteStateAsync("counter", id, new GrainState<Counter>(new Counter { Value = i }));
                return i;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        })));

        var winner = Assert.Single(writes, w => w != 0);
        Assert.Equal(winner, (await ReadAsync(Storage, id)).State!.Value);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_its_default_and_can_be_written_again()
    {
        var id = NewGrain();
        var state = new GrainState<Counter>(new Counter { Value = 5 });
        await Storage.WriteStateAsync("counter", id, state);

        await Storage.ClearStateAsync("counter", id, state);
        Assert.Equal(0, (await ReadAsync(Storage, id)).State!.Value);

        state.State = new Counter { Value = 6 };
        await Storage.WriteStateAsync("counter", id, state);
        Assert.Equal(6, (await ReadAsync(Storage, id)).State!.Value);
    }

    [Fact]
    public async Task Changing_a_grain_s_state_after_writing_it_changes_nothing_stored()
    {
        var id = NewGrain();
        var state = new GrainState<Counter>(new Counter { Value = 1, Items = ["a"] });
        await Storage.WriteStateAsync("counter", id, state);

        state.State!.Value = 42;
        state.State.Items.Add("b");
        var read = await ReadAsync(Storage, id);
        read.State!.Items.Add("c");

        var stored = (await ReadAsync(Storage, id)).State!;
        Assert.Equal(1, stored.Value);
        Assert.Equal(["a"], stored.Items);
    }

    [Fact]
    public async Task States_of_other_names_and_other_grains_are_kept_apart()
    {
        var (id, other) = (NewGrain(), NewGrain());
        await Storage.WriteStateAsync("counter", id, new GrainState<Counter>(new Counter { Value = 1 }));
        await Storage.WriteStateAsync("tally", id, new GrainState<Counter>(new Counter { Value = 2 }));
        await Storage.WriteStateAsync("counter", other, new GrainState<Counter>(new Counter { Value = 3 }));

        var tally = new GrainState<Counter>();
        await Storage.ReadStateAsync("tally", id, tally);
        Assert.Equal((1, 2, 3), ((await ReadAsync(Storage, id)).State!.Value, tally.State!.Value, (await ReadAsync(Storage, other)).State!.Value));
    }
}
