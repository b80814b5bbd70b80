using System.Collections;
using System.Diagnostics;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// Where an in-memory exporter puts the spans it exports, safe to read while it writes: the
/// exporter adds from its own thread, and a plain list copied meanwhile can show a half-added slot.
/// </summary>
/// <remarks>
/// Activity listeners are process-wide: a tracer provider built in one test also sees the spans of
/// every other host in the test process (other tests' HTTP requests, grain calls and queries).
/// Pick a test's own spans by the trace it started, never by name or path alone.
/// </remarks>
public sealed class SpanCollection : ICollection<Activity>
{
    readonly List<Activity> spans = [];

    /// <summary>A copy of what has been exported so far.</summary>
    public IReadOnlyList<Activity> Snapshot()
    {
        lock (spans) return [.. spans];
    }

    /// <summary>The exported spans of one trace.</summary>
    public IReadOnlyList<Activity> OfTrace(ActivityTraceId trace) => [.. Snapshot().Where(s => s.TraceId == trace)];

    public void Add(Activity item)
    {
        lock (spans) spans.Add(item);
    }

    public void Clear()
    {
        lock (spans) spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (spans) return spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (spans) spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (spans) return spans.Remove(item);
    }

    public int Count
    {
        get { lock (spans) return spans.Count; }
    }

    public bool IsReadOnly => false;

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
