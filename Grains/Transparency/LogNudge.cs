using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// Tells the logs of namespaces that gained records to wake up (a one-way call: stamping never
/// waits for its log), at most once per LOG_INTEGRATE_MS per namespace from each silo, since an
/// awake log integrates on its own timer. Only a shortcut: logs integrate from the store, and a
/// silo's sweep wakes any log whose nudge was lost (docs/transparency.md, "Integration").
/// </summary>
public sealed class LogNudge(IGrainFactory grains, IOptions<TransparencyOptions> options, TimeProvider clock)
{
    readonly ConcurrentDictionary<string, long> lastNudged = new(StringComparer.Ordinal);

    public void Created(IEnumerable<string> namespaces)
    {
        if (!options.Value.Enabled) return;
        foreach (var namespaceName in namespaces.Distinct(StringComparer.Ordinal))
        {
            var now = clock.GetTimestamp();
            if (lastNudged.TryGetValue(namespaceName, out var last) && clock.GetElapsedTime(last, now) < options.Value.IntegrateInterval) continue;
            lastNudged[namespaceName] = now;
            _ = grains.GetGrain<ITransparencyLogGrain>(namespaceName).IntegrateSoonAsync();
        }
    }
}
