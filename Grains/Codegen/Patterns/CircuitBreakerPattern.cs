namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>A circuit breaker with its three states: calls refused while open, a few trial calls when half open.</summary>
public sealed class CircuitBreakerPattern : ProductionPattern
{
    public override string Name => "circuit_breaker";
    public override string Category => "resilience";
    public override string Description => "Circuit breaker: closed until failure_threshold consecutive failures, then open (calls refused at once with CircuitOpenError) for recovery_timeout_s, then half open (a limited number of trial calls: a success closes it, a failure opens it again); state changes are recorded.";
    public override IReadOnlyList<string> NodeTypes => ["effect", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["circuit", "breaker", "resilience", "fault", "tolerance", "downstream", "cascading", "failure", "fallback"];
    public override IReadOnlyList<string> Aliases => ["circuit_breakers", "breaker"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Wrap | PatternHooks.Health;
    public override int WrapOrder => 10;

    public override string Generate(NodePlan plan) => """"
        class CircuitOpenError(RuntimeError):
            """Raised instead of calling while the circuit is open (not a ConnectionError: retrying it is pointless)."""


        class CircuitBreaker:
            """closed -> open after ``failure_threshold`` consecutive failures; open -> half_open after ``recovery_timeout_s``;
            half_open -> closed on a success, -> open on a failure; at most ``half_open_max_calls`` trials at once."""

            def __init__(self, failure_threshold: int, recovery_timeout_s: float, half_open_max_calls: int) -> None:
                self.failure_threshold = max(1, failure_threshold)
                self.recovery_timeout_s = recovery_timeout_s
                self.half_open_max_calls = max(1, half_open_max_calls)
                self.state = "closed"
                self.failures = 0
                self.opened_at = 0.0
                self.half_open_calls = 0
                self.rejected = 0
                self.transitions: list[tuple[str, str, float]] = []

            def _move(self, target: str) -> None:
                if target != self.state:
                    self.transitions.append((self.state, target, time.time()))
                    self.state = target

            def allow(self) -> bool:
                """Whether a call may go through now (a half-open trial counts as taken)."""
                if self.state == "open":
                    if time.monotonic() - self.opened_at < self.recovery_timeout_s:
                        return False
                    self._move("half_open")
                    self.half_open_calls = 0
                if self.state == "half_open":
                    if self.half_open_calls >= self.half_open_max_calls:
                        return False
                    self.half_open_calls += 1
                return True

            def record_success(self) -> None:
                self.failures = 0
                self._move("closed")

            def record_failure(self) -> None:
                self.failures += 1
                if self.state == "half_open" or self.failures >= self.failure_threshold:
                    self.opened_at = time.monotonic()
                    self._move("open")

            async def call(self, call: Callable[[], Awaitable[T]]) -> T:
                """Await ``call()`` through the breaker."""
                if not self.allow():
                    self.rejected += 1
                    raise CircuitOpenError(f"circuit is {self.state}; call refused")
                try:
                    result = await call()
                except Exception:
                    self.record_failure()
                    raise
                self.record_success()
                return result


        class PatternCircuitBreaker:
            """Circuit breaker pattern: every handler call goes through the node's breaker."""

            def _pattern_init_circuit_breaker(self, config: dict[str, Any]) -> None:
                self.circuit_breaker = CircuitBreaker(
                    failure_threshold=int(config.get("circuit_failure_threshold", 5)),
                    recovery_timeout_s=float(config.get("circuit_recovery_timeout_s", 30.0)),
                    half_open_max_calls=int(config.get("circuit_half_open_max_calls", 1)),
                )

            def _pattern_wrap_circuit_breaker(self, operation: str, call: PatternCall) -> PatternCall:
                async def guarded() -> dict[str, Any]:
                    return await self.circuit_breaker.call(call)

                return guarded

            async def _pattern_health_circuit_breaker(self) -> dict[str, Any]:
                breaker = self.circuit_breaker
                return {"ok": breaker.state != "open", "state": breaker.state, "failures": breaker.failures, "rejected": breaker.rejected}
        """";
}
