namespace OmniBridge.Silo.Memory;

/// <summary>
/// How long Orleans' memory streams keep what they delivered (docs/architecture.md, "Events"). By default a pulling
/// agent's cache keeps every message at least five minutes and until it is thirty minutes older than the newest: under
/// a steady load of stamps that is every event of the last half hour in the silo's memory (a PostgreSQL silo stamping
/// 5,000 records a second went from 200 to 361 MiB in under a minute, 113 MB of it 1 MiB cache blocks). Nothing here
/// reads the stream back: subscribers take each message as it comes, and a reducer that missed one folds it from the
/// store within a minute. So a message is kept only as long as a slow subscriber could still need it.
/// </summary>
public static class MemoryStreamCache
{
    /// <summary>A message stays in the cache at least this long.</summary>
    public static readonly TimeSpan MinTime = TimeSpan.FromSeconds(1);

    /// <summary>...and goes once it is this much older than the newest message (and has stayed <see cref="MinTime"/>).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);

    public static void KeepBriefly(ISiloRecoverableStreamConfigurator streams) =>
        streams.ConfigureCacheEviction(options => options.Configure(o =>
        {
            o.DataMinTimeInCache = MinTime;
            o.DataMaxAgeInCache = MaxAge;
        }));
}
