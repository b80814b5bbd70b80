namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>The database's reachability and latency as a health check: a probe you supply, or a TCP connect to the configured URL's host.</summary>
public sealed class DatabaseHealthPattern : ProductionPattern
{
    public override string Name => "database_health";
    public override string Category => "health_checks";
    public override string Description => "Database health: probes the node's database (a probe you supply, or a TCP connect to database_url's host and port) under a timeout, reporting latency and consecutive failures without exposing credentials.";
    public override IReadOnlyList<string> NodeTypes => ["effect", "reducer", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["database", "db", "postgres", "postgresql", "sql", "connection", "pool", "health", "persistence", "storage"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Health;
    public override IReadOnlyList<string> ImportLines => ["from urllib.parse import urlsplit"];

    public override string Generate(NodePlan plan) => """"
        class DatabaseProbe:
            """Checks that the database answers: ``probe`` when set, else a TCP connect to the URL's host and port."""

            DEFAULT_PORTS: dict[str, int] = {"postgresql": 5432, "postgres": 5432, "mysql": 3306, "mongodb": 27017, "redis": 6379}

            def __init__(self, url: str | None, timeout_s: float) -> None:
                self.url = url or None
                self.timeout_s = timeout_s
                self.probe: Callable[[], Awaitable[None]] | None = None
                self.consecutive_failures = 0
                self.last_latency_ms: float | None = None

            def address(self) -> tuple[str, int] | None:
                """Host and port of the configured URL (never its user or password)."""
                if self.url is None:
                    return None
                parts = urlsplit(self.url)
                if not parts.hostname:
                    return None
                return parts.hostname, parts.port or self.DEFAULT_PORTS.get(parts.scheme.split("+")[0], 5432)

            async def _connect(self) -> None:
                address = self.address()
                if address is None:
                    raise ValueError("database_url has no host")
                _, writer = await asyncio.open_connection(*address)
                writer.close()
                await writer.wait_closed()

            async def check(self) -> dict[str, Any]:
                """Probe once; ok when the database answered within the timeout."""
                if self.probe is None and self.url is None:
                    return {"ok": True, "status": "not_configured"}
                address = self.address()
                target = f"{address[0]}:{address[1]}" if address else "custom probe"
                started = time.perf_counter()
                try:
                    await asyncio.wait_for((self.probe or self._connect)(), timeout=self.timeout_s)
                except Exception as exc:  # unreachable is a finding, not a crash
                    self.consecutive_failures += 1
                    return {
                        "ok": False,
                        "status": "unreachable",
                        "target": target,
                        "error": type(exc).__name__,
                        "consecutive_failures": self.consecutive_failures,
                    }
                self.consecutive_failures = 0
                self.last_latency_ms = round((time.perf_counter() - started) * 1000.0, 3)
                return {"ok": True, "status": "reachable", "target": target, "latency_ms": self.last_latency_ms}


        class PatternDatabaseHealth:
            """Database health pattern: set_database_probe and check_database."""

            def _pattern_init_database_health(self, config: dict[str, Any]) -> None:
                self.database_probe = DatabaseProbe(config.get("database_url"), float(config.get("database_health_timeout_s", 2.0)))

            def set_database_probe(self, probe: Callable[[], Awaitable[None]]) -> None:
                """Use ``probe`` (e.g. a ``SELECT 1`` on your pool) instead of a TCP connect."""
                self.database_probe.probe = probe

            async def check_database(self) -> dict[str, Any]:
                """Probe the database now."""
                return await self.database_probe.check()

            async def _pattern_health_database_health(self) -> dict[str, Any]:
                return await self.database_probe.check()
        """";
}
