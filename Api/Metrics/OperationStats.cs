namespace OmniBridge.Api.Metrics;

/// <summary>Count, errors and latency of one operation; percentiles over the most recent 4096 requests.</summary>
sealed class OperationStats
{
    const int Window = 4096;
    readonly Lock gate = new();
    readonly double[] recent = new double[Window];
    long count, errors;
    double total, min = double.MaxValue, max;

    public void Record(double elapsedMs, bool failed)
    {
        lock (gate)
        {
            recent[count % Window] = elapsedMs;
            count++;
            if (failed) errors++;
            total += elapsedMs;
            min = Math.Min(min, elapsedMs);
            max = Math.Max(max, elapsedMs);
        }
    }

    public OperationView Snapshot()
    {
        double[] sample;
        OperationView view;
        lock (gate)
        {
            sample = recent[..(int)Math.Min(count, Window)];
            view = new OperationView
            {
                Count = count,
                Errors = errors,
                LatencyMs = new LatencyView { Min = count == 0 ? 0 : min, Avg = count == 0 ? 0 : total / count, Max = max },
            };
        }
        Array.Sort(sample);
        return view with { LatencyMs = view.LatencyMs with { P50 = Percentile(sample, 0.50), P95 = Percentile(sample, 0.95), P99 = Percentile(sample, 0.99) } };
    }

    static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
