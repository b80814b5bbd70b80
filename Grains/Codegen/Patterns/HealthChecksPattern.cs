namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>A registry of named async checks, each under a timeout, run by check_health() and reported by health_check().</summary>
public sealed class HealthChecksPattern : ProductionPattern
{
    public override string Name => "health_checks";
    public override string Category => "health_checks";
    public override string Description => "Health checks: a registry of named async checks, each run under a timeout (a check that raises or times out is unhealthy), with built-in checks of the handlers and the event loop's lag.";
    public override IReadOnlyList<string> NodeTypes => EveryNodeType;
    public override IReadOnlyList<string> Tags => ["health", "check", "liveness", "readiness", "probe", "monitoring", "status", "availability"];
    public override IReadOnlyList<string> Aliases => ["health_check", "healthcheck", "healthchecks"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Health;

    public override string Generate(NodePlan plan) => """"
        class HealthRegistry:
            """Named async health checks; each returns a dict with an ``ok`` flag and runs under a timeout."""

            def __init__(self, timeout_s: float) -> None:
                self.timeout_s = timeout_s
                self.checks: dict[str, Callable[[], Awaitable[dict[str, Any]]]] = {}
                self.last_report: dict[str, Any] | None = None

            def register(self, name: str, check: Callable[[], Awaitable[dict[str, Any]]]) -> None:
                """Add or replace the check called ``name``."""
                self.checks[name] = check

            async def run(self) -> dict[str, Any]:
                """Run every check; the report is ok only when every check is."""
                results: dict[str, dict[str, Any]] = {}
                for name, check in self.checks.items():
                    started = time.perf_counter()
                    try:
                        outcome = await asyncio.wait_for(check(), timeout=self.timeout_s)
                        entry = {**outcome, "ok": bool(outcome.get("ok", False))}
                    except TimeoutError:
                        entry = {"ok": False, "error": f"timed out after {self.timeout_s}s"}
                    except Exception as exc:  # a failing check is a finding, not a crash
                        entry = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                    entry["duration_ms"] = round((time.perf_counter() - started) * 1000.0, 3)
                    results[name] = entry
                report = {"ok": all(entry["ok"] for entry in results.values()), "checks": results, "checked_at": time.time()}
                self.last_report = report
                return report


        class PatternHealthChecks:
            """Health checks pattern: register_health_check and check_health."""

            def _pattern_init_health_checks(self, config: dict[str, Any]) -> None:
                self.health_registry = HealthRegistry(float(config.get("health_check_timeout_s", 2.0)))
                self.health_max_lag_ms = float(config.get("health_check_max_lag_ms", 250.0))
                self.health_registry.register("handlers", self._check_handlers)
                self.health_registry.register("event_loop", self._check_event_loop)

            def register_health_check(self, name: str, check: Callable[[], Awaitable[dict[str, Any]]]) -> None:
                """Add a check of your own (an async callable returning a dict with ``ok``)."""
                self.health_registry.register(name, check)

            async def check_health(self) -> dict[str, Any]:
                """Run every registered check now."""
                return await self.health_registry.run()

            async def _check_handlers(self) -> dict[str, Any]:
                missing = [operation for operation in OPERATIONS if operation not in self._handlers]
                return {"ok": not missing, "registered": len(self._handlers), "missing": missing}

            async def _check_event_loop(self) -> dict[str, Any]:
                before = time.perf_counter()
                await asyncio.sleep(0)
                lag_ms = (time.perf_counter() - before) * 1000.0
                return {"ok": lag_ms <= self.health_max_lag_ms, "lag_ms": round(lag_ms, 3)}

            async def _pattern_health_health_checks(self) -> dict[str, Any]:
                return await self.health_registry.run()
        """";
}
