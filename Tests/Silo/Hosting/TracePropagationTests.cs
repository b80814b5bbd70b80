using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// docs/architecture.md, "Observability": trace context crosses grain calls only when traces are exported. Without an
/// exporter no span is made, and Orleans' propagation filters would still cost every grain call (bench/README.md,
/// "Trace context only when traces are exported"); with one, a grain call's span continues the request's trace
/// (<c>TracingTests</c> follows one request end to end).
/// </summary>
public sealed class TracePropagationTests
{
    [Fact]
    public async Task A_silo_carries_trace_context_across_grain_calls_only_when_it_exports_traces()
    {
        await using (var quiet = new ConfiguredSilo(new Dictionary<string, string>()))
        {
            await quiet.InitializeAsync();
            Assert.Empty(PropagationFilters(quiet));
            // The service works as before without them.
            await quiet.Http.StampAsync("untraced", "trace.off");
        }

        using var collector = new OtlpCollector();
        await using var traced = new ConfiguredSilo(collector.Settings);
        await traced.InitializeAsync();
        Assert.Contains(PropagationFilters(traced), name => name.Contains("Incoming", StringComparison.Ordinal));
        Assert.Contains(PropagationFilters(traced), name => name.Contains("Outgoing", StringComparison.Ordinal));
    }

    /// <summary>The names of the silo's grain call filters that carry trace context (Orleans' own types are internal).</summary>
    static List<string> PropagationFilters(SiloApp silo) =>
    [
        .. silo.Services.GetServices<IIncomingGrainCallFilter>().Select(f => f.GetType().Name)
            .Concat(silo.Services.GetServices<IOutgoingGrainCallFilter>().Select(f => f.GetType().Name))
            .Where(name => name.Contains("ActivityPropagation", StringComparison.Ordinal)),
    ];
}
