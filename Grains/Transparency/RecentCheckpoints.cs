using System.Collections.Concurrent;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// Each namespace's latest checkpoint as this silo read it a moment ago, so that concurrent inclusion proofs do not
/// each read it again (docs/transparency.md, "Endpoints"). A kept note is only ever used while it answers the
/// question: a proof whose record or asked size lies past it reads the latest note instead, so keeping one never turns
/// a proof into a refusal. What it changes is which signed size a proof of an already covered record is given: one at
/// most <see cref="KeepFor"/> older than the newest, on top of the up to LOG_CHECKPOINT_MS a checkpoint already trails
/// integration.
/// </summary>
public sealed class RecentCheckpoints(TimeProvider clock)
{
    /// <summary>How long a read note is used before it is read again.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromMilliseconds(250);

    /// <summary>Namespaces kept at most; past it the whole set is let go (each costs one read to fill again).</summary>
    public const int MaxNamespaces = 10_000;

    readonly ConcurrentDictionary<string, (string Note, long ReadAt)> kept = new(StringComparer.Ordinal);

    /// <summary>The note of <paramref name="namespaceName"/> read less than <see cref="KeepFor"/> ago, if any.</summary>
    public string? Get(string namespaceName) =>
        kept.TryGetValue(namespaceName, out var note) && clock.GetElapsedTime(note.ReadAt) < KeepFor ? note.Note : null;

    /// <summary>Keeps <paramref name="note"/>, just read, as the namespace's latest.</summary>
    public void Keep(string namespaceName, string note)
    {
        if (kept.Count >= MaxNamespaces) kept.Clear();
        kept[namespaceName] = (note, clock.GetTimestamp());
    }
}
