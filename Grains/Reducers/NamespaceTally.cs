using OmniBridge.Grains.Interfaces.Reducers;

namespace OmniBridge.Grains.Reducers;

/// <summary>
/// The running totals of one namespace (docs/architecture.md, "Reducers"), folded one stamp at a time. Saved as JSON
/// (bridge_states), so every field is plain data.
/// </summary>
[GenerateSerializer]
public sealed class NamespaceTally
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(60);
    static readonly long[] BucketLimits = [1L << 10, 64L << 10, 1L << 20, 64L << 20];

    [Id(0)] public long TotalStamps { get; set; }
    [Id(1)] public long TotalSizeBytes { get; set; }
    [Id(2)] public Dictionary<string, long> ContentTypes { get; set; } = [];
    [Id(3)] public Dictionary<string, long> FileTypes { get; set; } = [];
    /// <summary>Distinct workflows seen; which ones is the ledger's to remember, so the tally stays small.</summary>
    [Id(4)] public long WorkflowsSeen { get; set; }
    [Id(5)] public DateTime? FirstStampAt { get; set; }
    [Id(6)] public DateTime? LastStampAt { get; set; }
    [Id(7)] public double TotalProcessingTimeMs { get; set; }

    /// <summary>Counts for &lt; 1 KiB, &lt; 64 KiB, &lt; 1 MiB, &lt; 64 MiB and larger.</summary>
    [Id(8)] public long[] SizeBuckets { get; set; } = new long[5];

    /// <summary>Stamps per UTC minute (keyed by the minute's ticks), for the last 60 minutes.</summary>
    [Id(9)] public Dictionary<long, long> PerMinute { get; set; } = [];

    public void Apply(ReducedStamp stamp, DateTime now)
    {
        TotalStamps++;
        TotalSizeBytes += stamp.FileSize;
        ContentTypes[stamp.ContentType] = ContentTypes.GetValueOrDefault(stamp.ContentType) + 1;
        if (FileType(stamp.FilePath) is { } type) FileTypes[type] = FileTypes.GetValueOrDefault(type) + 1;
        if (stamp.FirstOfWorkflow) WorkflowsSeen++;
        if (FirstStampAt is null || stamp.CreatedAt < FirstStampAt) FirstStampAt = stamp.CreatedAt;
        if (LastStampAt is null || stamp.CreatedAt > LastStampAt) LastStampAt = stamp.CreatedAt;
        TotalProcessingTimeMs += stamp.ProcessingTimeMs;
        SizeBuckets[Bucket(stamp.FileSize)]++;

        var minute = MinuteOf(stamp.CreatedAt);
        if (minute > MinuteOf(now) - Window.Ticks) PerMinute[minute] = PerMinute.GetValueOrDefault(minute) + 1;
        Prune(now);
    }

    /// <summary>A copy, so a fold can be thrown away when its save is refused.</summary>
    public NamespaceTally Copy() => new()
    {
        TotalStamps = TotalStamps,
        TotalSizeBytes = TotalSizeBytes,
        ContentTypes = new(ContentTypes),
        FileTypes = new(FileTypes),
        WorkflowsSeen = WorkflowsSeen,
        FirstStampAt = FirstStampAt,
        LastStampAt = LastStampAt,
        TotalProcessingTimeMs = TotalProcessingTimeMs,
        SizeBuckets = [.. SizeBuckets],
        PerMinute = new(PerMinute),
    };

    public NamespaceAggregates Snapshot(string namespaceName, DateTime now)
    {
        var since = MinuteOf(now) - Window.Ticks;
        return new NamespaceAggregates
        {
            Namespace = namespaceName,
            TotalStamps = TotalStamps,
            TotalSizeBytes = TotalSizeBytes,
            ContentTypes = new Dictionary<string, long>(ContentTypes),
            UniqueFileTypesCount = FileTypes.Count,
            WorkflowsSeen = (int)Math.Min(WorkflowsSeen, int.MaxValue),
            FirstStampAt = FirstStampAt,
            LastStampAt = LastStampAt,
            MeanProcessingTimeMs = TotalStamps == 0 ? 0 : TotalProcessingTimeMs / TotalStamps,
            SizeBuckets = new SizeBuckets
            {
                Under1KiB = SizeBuckets[0],
                Under64KiB = SizeBuckets[1],
                Under1MiB = SizeBuckets[2],
                Under64MiB = SizeBuckets[3],
                Larger = SizeBuckets[4],
            },
            PerMinute = PerMinute
                .Where(m => m.Key > since)
                .OrderBy(m => m.Key)
                .Select(m => new MinuteCount { Minute = new DateTime(m.Key, DateTimeKind.Utc), Count = m.Value })
                .ToList(),
        };
    }

    /// <summary>The lower-case extension of a file path ("py" for "src/app.py"), or null when it has none.</summary>
    public static string? FileType(string? filePath)
    {
        if (string.IsNullOrEmpty(filePath)) return null;
        var name = filePath[(filePath.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? null : name[(dot + 1)..].ToLowerInvariant();
    }

    static int Bucket(long size)
    {
        for (var i = 0; i < BucketLimits.Length; i++)
        {
            if (size < BucketLimits[i]) return i;
        }
        return BucketLimits.Length;
    }

    static long MinuteOf(DateTime utc) => utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute;

    void Prune(DateTime now)
    {
        var since = MinuteOf(now) - Window.Ticks;
        foreach (var old in PerMinute.Keys.Where(k => k <= since).ToList()) PerMinute.Remove(old);
    }
}
