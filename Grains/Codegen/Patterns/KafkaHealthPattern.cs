namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>The Kafka cluster's reachability as a health check: every bootstrap broker probed, healthy when enough answer.</summary>
public sealed class KafkaHealthPattern : ProductionPattern
{
    public override string Name => "kafka_health";
    public override string Category => "health_checks";
    public override string Description => "Kafka health: probes each configured bootstrap broker (a TCP connect, or a probe you supply) in parallel under a timeout; healthy when at least the required number of brokers answer.";
    public override IReadOnlyList<string> NodeTypes => ["effect", "reducer", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["kafka", "broker", "redpanda", "streaming", "messaging", "queue", "event", "health", "consumer", "producer"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Health;

    public override string Generate(NodePlan plan) => """"
        class KafkaProbe:
            """Checks the bootstrap brokers ``host:port,...``; ok when at least ``min_brokers`` answer."""

            def __init__(self, bootstrap_servers: str, timeout_s: float, min_brokers: int) -> None:
                self.brokers = self.parse(bootstrap_servers)
                self.timeout_s = timeout_s
                self.min_brokers = max(1, min_brokers)
                self.probe: Callable[[str, int], Awaitable[None]] | None = None

            @staticmethod
            def parse(bootstrap_servers: str) -> list[tuple[str, int]]:
                """``a:9092,b`` -> [("a", 9092), ("b", 9092)]; blanks are skipped."""
                brokers: list[tuple[str, int]] = []
                for entry in bootstrap_servers.split(","):
                    entry = entry.strip()
                    if not entry:
                        continue
                    host, _, port = entry.rpartition(":") if ":" in entry else (entry, "", "9092")
                    brokers.append((host.strip("[]"), int(port)))
                return brokers

            async def _connect(self, host: str, port: int) -> None:
                _, writer = await asyncio.open_connection(host, port)
                writer.close()
                await writer.wait_closed()

            async def _probe_one(self, host: str, port: int) -> bool:
                try:
                    await asyncio.wait_for((self.probe or self._connect)(host, port), timeout=self.timeout_s)
                    return True
                except Exception:  # an unreachable broker is counted, not raised
                    return False

            async def check(self) -> dict[str, Any]:
                """Probe every broker at once."""
                if not self.brokers:
                    return {"ok": True, "status": "not_configured"}
                answers = await asyncio.gather(*(self._probe_one(host, port) for host, port in self.brokers))
                reachable = [f"{host}:{port}" for (host, port), ok in zip(self.brokers, answers) if ok]
                ok = len(reachable) >= min(self.min_brokers, len(self.brokers))
                return {"ok": ok, "status": "reachable" if ok else "unreachable", "brokers": len(self.brokers), "reachable": reachable}


        class PatternKafkaHealth:
            """Kafka health pattern: set_kafka_probe and check_kafka."""

            def _pattern_init_kafka_health(self, config: dict[str, Any]) -> None:
                self.kafka_probe = KafkaProbe(
                    str(config.get("kafka_bootstrap_servers", "")),
                    float(config.get("kafka_health_timeout_s", 2.0)),
                    int(config.get("kafka_min_brokers", 1)),
                )

            def set_kafka_probe(self, probe: Callable[[str, int], Awaitable[None]]) -> None:
                """Use ``probe(host, port)`` (e.g. a metadata request of your client) instead of a TCP connect."""
                self.kafka_probe.probe = probe

            async def check_kafka(self) -> dict[str, Any]:
                """Probe the brokers now."""
                return await self.kafka_probe.check()

            async def _pattern_health_kafka_health(self) -> dict[str, Any]:
                return await self.kafka_probe.check()
        """";
}
