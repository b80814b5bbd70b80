namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>Transient failures retried with exponential back-off and jitter, bounded by attempts and an overall deadline.</summary>
public sealed class RetryPattern : ProductionPattern
{
    public override string Name => "retry";
    public override string Category => "resilience";
    public override string Description => "Retry: transient failures (ConnectionError, TimeoutError) retried with exponential back-off and jitter, bounded by a number of attempts and an overall deadline; other errors fail at once.";
    public override IReadOnlyList<string> NodeTypes => ["effect", "orchestrator"];
    public override IReadOnlyList<string> Tags => ["retry", "backoff", "exponential", "transient", "resilience", "jitter", "network", "reliability"];
    public override IReadOnlyList<string> Aliases => ["retry_logic", "retries", "retry_policy", "automatic_retry"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Wrap;
    public override int WrapOrder => 0;
    public override IReadOnlyList<string> ImportLines => ["import random"];

    // An orchestrator's steps are longer: it gets a longer overall deadline.
    public override string Generate(NodePlan plan) => $"DEFAULT_RETRY_DEADLINE_S = {(plan.NodeType == "orchestrator" ? "60.0" : "15.0")}\n\n\n" + """"
        class RetryPolicy:
            """Exponential back-off with jitter: delay n is uniform in [cap/2, cap], cap = min(max_delay, base * 2**(n-1))."""

            RETRYABLE: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError)

            def __init__(self, attempts: int, base_delay_s: float, max_delay_s: float, deadline_s: float) -> None:
                self.attempts = max(1, attempts)
                self.base_delay_s = max(0.0, base_delay_s)
                self.max_delay_s = max(self.base_delay_s, max_delay_s)
                self.deadline_s = deadline_s
                self.retries = 0
                self.exhausted = 0

            def delay(self, attempt: int) -> float:
                """The wait after failed attempt number ``attempt`` (from 1)."""
                cap = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
                return random.uniform(cap / 2.0, cap)

            async def run(self, call: Callable[[], Awaitable[T]], operation: str) -> T:
                """Await ``call()``; retry retryable errors while attempts and the deadline allow."""
                deadline = time.monotonic() + self.deadline_s
                attempt = 1
                while True:
                    try:
                        return await call()
                    except self.RETRYABLE as exc:
                        wait = self.delay(attempt)
                        if attempt >= self.attempts or time.monotonic() + wait > deadline:
                            self.exhausted += 1
                            raise
                        self.retries += 1
                        logger.info("retrying %s in %.3fs after %s (attempt %d of %d)", operation, wait, exc, attempt, self.attempts)
                        await asyncio.sleep(wait)
                        attempt += 1


        class PatternRetry:
            """Retry pattern: every handler call runs under the node's RetryPolicy."""

            def _pattern_init_retry(self, config: dict[str, Any]) -> None:
                # With the Retry mixin too, the mixin already retries the whole call: by default the policy then
                # makes one attempt under its deadline rather than multiplying the attempts (3 x 3).
                attempts = 1 if hasattr(self, "_retry_async") else 3
                self.retry_policy = RetryPolicy(
                    attempts=int(config.get("retry_policy_attempts", attempts)),
                    base_delay_s=float(config.get("retry_policy_base_delay_s", 0.05)),
                    max_delay_s=float(config.get("retry_policy_max_delay_s", 2.0)),
                    deadline_s=float(config.get("retry_policy_deadline_s", DEFAULT_RETRY_DEADLINE_S)),
                )

            def _pattern_wrap_retry(self, operation: str, call: PatternCall) -> PatternCall:
                async def retried() -> dict[str, Any]:
                    return await self.retry_policy.run(call, operation)

                return retried
        """";
}
