namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>Per-operation counts, errors and a latency histogram, with a Prometheus text rendering.</summary>
public sealed class MetricsPattern : ProductionPattern
{
    public override string Name => "metrics";
    public override string Category => "metrics";
    public override string Description => "Metrics: per-operation request and error counters and a latency histogram (cumulative buckets, estimated percentiles), rendered in the Prometheus text format.";
    public override IReadOnlyList<string> NodeTypes => EveryNodeType;
    public override IReadOnlyList<string> Tags => ["metrics", "metric", "prometheus", "observability", "monitoring", "latency", "histogram", "telemetry", "performance", "counter"];
    public override IReadOnlyList<string> Aliases => ["metrics_collection", "prometheus_metrics"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.After;

    // The metric names carry the service's name, so several nodes can share one scrape.
    public override string Generate(NodePlan plan) => """"
        class OperationMetrics:
            """Counters and a latency histogram per operation (milliseconds, cumulative buckets)."""

            BUCKETS_MS: tuple[float, ...] = (1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 5000.0)
            PREFIX = f"omninode_{NODE_NAME}"

            def __init__(self) -> None:
                self.operations: dict[str, dict[str, Any]] = {}

            def observe(self, operation: str, duration_ms: float, success: bool) -> None:
                """Count one execution of ``operation``."""
                entry = self.operations.setdefault(
                    operation, {"count": 0, "errors": 0, "sum_ms": 0.0, "buckets": [0] * len(self.BUCKETS_MS)}
                )
                entry["count"] += 1
                entry["errors"] += 0 if success else 1
                entry["sum_ms"] += duration_ms
                for index, bound in enumerate(self.BUCKETS_MS):
                    if duration_ms <= bound:
                        entry["buckets"][index] += 1

            def percentile(self, operation: str, quantile: float) -> float:
                """Upper bound of the bucket holding the ``quantile`` (0..1) of ``operation``'s latencies."""
                entry = self.operations.get(operation)
                if not entry or entry["count"] == 0:
                    return 0.0
                rank = quantile * entry["count"]
                for bound, cumulative in zip(self.BUCKETS_MS, entry["buckets"]):
                    if cumulative >= rank:
                        return bound
                return float("inf")

            def snapshot(self) -> dict[str, Any]:
                """Counts, error rates, mean and p50/p99 per operation."""
                return {
                    name: {
                        "count": entry["count"],
                        "errors": entry["errors"],
                        "error_rate": entry["errors"] / entry["count"] if entry["count"] else 0.0,
                        "mean_ms": round(entry["sum_ms"] / entry["count"], 3) if entry["count"] else 0.0,
                        "p50_ms": self.percentile(name, 0.5),
                        "p99_ms": self.percentile(name, 0.99),
                    }
                    for name, entry in sorted(self.operations.items())
                }

            def render_prometheus(self) -> str:
                """The counters and histograms in the Prometheus text exposition format."""
                lines = [
                    f"# TYPE {self.PREFIX}_requests_total counter",
                    f"# TYPE {self.PREFIX}_errors_total counter",
                    f"# TYPE {self.PREFIX}_duration_ms histogram",
                ]
                for name, entry in sorted(self.operations.items()):
                    label = f'operation="{name}"'
                    lines.append(f"{self.PREFIX}_requests_total{{{label}}} {entry['count']}")
                    lines.append(f"{self.PREFIX}_errors_total{{{label}}} {entry['errors']}")
                    for bound, cumulative in zip(self.BUCKETS_MS, entry["buckets"]):
                        lines.append(f'{self.PREFIX}_duration_ms_bucket{{{label},le="{bound}"}} {cumulative}')
                    lines.append(f'{self.PREFIX}_duration_ms_bucket{{{label},le="+Inf"}} {entry["count"]}')
                    lines.append(f"{self.PREFIX}_duration_ms_sum{{{label}}} {round(entry['sum_ms'], 3)}")
                    lines.append(f"{self.PREFIX}_duration_ms_count{{{label}}} {entry['count']}")
                return "\n".join(lines) + "\n"


        class PatternMetrics:
            """Metrics pattern: every response of a known operation is observed; read them with metrics_snapshot or render_prometheus."""

            def _pattern_init_metrics(self, config: dict[str, Any]) -> None:
                self.operation_metrics = OperationMetrics()

            def _pattern_after_metrics(self, response: Any) -> None:
                # Unknown operations are the caller's mistake and would grow the label set without bound.
                if response.operation in OPERATIONS:
                    self.operation_metrics.observe(response.operation, response.duration_ms, response.success)

            def metrics_snapshot(self) -> dict[str, Any]:
                """Counts, error rates and latency percentiles per operation."""
                return self.operation_metrics.snapshot()

            def render_prometheus(self) -> str:
                """The node's metrics in the Prometheus text format."""
                return self.operation_metrics.render_prometheus()
        """";
}
