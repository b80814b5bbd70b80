using OmniBridge.Grains.Reducers;

namespace OmniBridge.Tests.Grains.Reducers;

public sealed class NamespaceTallyTests
{
    static readonly DateTime Now = new(2026, 11, 27, 12, 30, 20, DateTimeKind.Utc);

    static ReducedStamp Created(long size, string contentType = "text/plain", string? path = null, DateTime? at = null, double ms = 1, Guid? workflow = null, bool firstOfWorkflow = false) =>
        new(Guid.NewGuid(), size, contentType, path, at ?? Now, ms, workflow, firstOfWorkflow);

    [Fact]
    public void Totals_content_types_and_file_types_add_up()
    {
        var tally = new NamespaceTally();
        tally.Apply(Created(10, "text/plain", "a/b.PY"), Now);
        tally.Apply(Created(20, "text/plain", "c.py"), Now);
        tally.Apply(Created(30, "application/json", "d.json"), Now);
        tally.Apply(Created(40, "application/octet-stream", "Makefile"), Now);

        var snapshot = tally.Snapshot("ns", Now);
        Assert.Equal(4, snapshot.TotalStamps);
        Assert.Equal(100, snapshot.TotalSizeBytes);
        Assert.Equal(2, snapshot.ContentTypes["text/plain"]);
        Assert.Equal(1, snapshot.ContentTypes["application/json"]);
        Assert.Equal(2, snapshot.UniqueFileTypesCount);   // py and json; Makefile has no extension
    }

    [Fact]
    public void Sizes_fall_into_their_buckets_at_the_boundaries()
    {
        var tally = new NamespaceTally();
        foreach (var size in new long[] { 0, 1023, 1024, (64 << 10) - 1, 64 << 10, (1 << 20) - 1, 1 << 20, (64L << 20) - 1, 64L << 20 })
        {
            tally.Apply(Created(size), Now);
        }
        var buckets = tally.Snapshot("ns", Now).SizeBuckets;
        Assert.Equal([2L, 2, 2, 2, 1], new[] { buckets.Under1KiB, buckets.Under64KiB, buckets.Under1MiB, buckets.Under64MiB, buckets.Larger });
    }

    [Fact]
    public void First_last_mean_and_workflows()
    {
        var tally = new NamespaceTally();
        var workflow = Guid.NewGuid();
        tally.Apply(Created(1, at: Now.AddMinutes(-5), ms: 2, workflow: workflow, firstOfWorkflow: true), Now);
        tally.Apply(Created(1, at: Now.AddMinutes(-9), ms: 4, workflow: workflow), Now);
        tally.Apply(Created(1, at: Now.AddMinutes(-1), ms: 6), Now);

        var snapshot = tally.Snapshot("ns", Now);
        Assert.Equal(Now.AddMinutes(-9), snapshot.FirstStampAt);
        Assert.Equal(Now.AddMinutes(-1), snapshot.LastStampAt);
        Assert.Equal(4, snapshot.MeanProcessingTimeMs, 6);
        Assert.Equal(1, snapshot.WorkflowsSeen);
    }

    [Fact]
    public void Per_minute_counts_cover_the_last_sixty_minutes_only()
    {
        var tally = new NamespaceTally();
        tally.Apply(Created(1, at: Now.AddMinutes(-90)), Now);
        tally.Apply(Created(1, at: Now.AddSeconds(-5)), Now);
        tally.Apply(Created(1, at: Now.AddSeconds(-10)), Now);
        tally.Apply(Created(1, at: Now.AddMinutes(-30)), Now);

        var perMinute = tally.Snapshot("ns", Now).PerMinute;
        Assert.Equal(2, perMinute.Count);
        Assert.Equal(new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc), perMinute[0].Minute);
        Assert.Equal(1, perMinute[0].Count);
        Assert.Equal(new DateTime(2026, 11, 27, 12, 30, 0, DateTimeKind.Utc), perMinute[1].Minute);
        Assert.Equal(2, perMinute[1].Count);

        // An hour later, those minutes have left the window; the totals remain.
        var later = tally.Snapshot("ns", Now.AddMinutes(61));
        Assert.Empty(later.PerMinute);
        Assert.Equal(4, later.TotalStamps);
    }

    [Theory]
    [InlineData("src/app.py", "py")]
    [InlineData("C:\\dir\\File.TXT", "txt")]
    [InlineData(".bashrc", null)]
    [InlineData("archive.tar.gz", "gz")]
    [InlineData("dir.d/Makefile", null)]
    [InlineData("trailing.", null)]
    [InlineData(null, null)]
    public void A_file_type_is_the_lower_case_extension(string? path, string? type)
    {
        Assert.Equal(type, NamespaceTally.FileType(path));
    }
}
