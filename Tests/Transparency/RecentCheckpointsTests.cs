using OmniBridge.Grains.Transparency;

namespace OmniBridge.Tests.Transparency;

/// <summary>docs/transparency.md, "Endpoints": a silo keeps each namespace's checkpoint a moment, and no longer.</summary>
public sealed class RecentCheckpointsTests
{
    /// <summary>A clock that moves only when told.</summary>
    sealed class SteppedClock : TimeProvider
    {
        long now;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => now;
        public void Advance(TimeSpan by) => now += by.Ticks;
    }

    [Fact]
    public void A_note_is_used_for_a_moment_after_it_was_read_then_read_again()
    {
        var clock = new SteppedClock();
        var recent = new RecentCheckpoints(clock);
        Assert.Null(recent.Get("acme"));

        recent.Keep("acme", "note of size 3");
        clock.Advance(RecentCheckpoints.KeepFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal("note of size 3", recent.Get("acme"));
        Assert.Null(recent.Get("other"));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(recent.Get("acme"));
        recent.Keep("acme", "note of size 4");
        Assert.Equal("note of size 4", recent.Get("acme"));
    }

    [Fact]
    public void Past_its_limit_of_namespaces_it_lets_them_all_go_instead_of_growing()
    {
        var recent = new RecentCheckpoints(new SteppedClock());
        for (var i = 0; i < RecentCheckpoints.MaxNamespaces; i++) recent.Keep("ns" + i, "note");
        Assert.Equal("note", recent.Get("ns0"));

        recent.Keep("one more", "note");
        Assert.Null(recent.Get("ns0"));
        Assert.Equal("note", recent.Get("one more"));
    }
}
