namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>Start and stop: created → running → stopping → stopped, draining work in flight; a stopping node refuses new work.</summary>
public sealed class LifecyclePattern : ProductionPattern
{
    public override string Name => "lifecycle";
    public override string Category => "lifecycle";
    public override string Description => "Node lifecycle: start and stop with callbacks, a state machine (created, running, stopping, stopped) and graceful draining of work in flight; a stopping node refuses new requests.";
    public override IReadOnlyList<string> NodeTypes => EveryNodeType;
    public override IReadOnlyList<string> Tags => ["lifecycle", "startup", "shutdown", "graceful", "start", "stop", "drain", "initialization", "cleanup"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Before | PatternHooks.Wrap | PatternHooks.Health;
    public override int WrapOrder => 20;

    public override string Generate(NodePlan plan) => """"
        class NodeLifecycle:
            """Lifecycle state machine: created -> running -> stopping -> stopped (created may stop at once)."""

            TRANSITIONS: dict[str, tuple[str, ...]] = {
                "created": ("running", "stopped"),
                "running": ("stopping",),
                "stopping": ("stopped",),
                "stopped": (),
            }

            def __init__(self, drain_timeout_s: float) -> None:
                self.state = "created"
                self.drain_timeout_s = drain_timeout_s
                self.in_flight = 0
                self.history: list[tuple[str, float]] = [("created", time.time())]
                self.on_start: list[Callable[[], Awaitable[None]]] = []
                self.on_stop: list[Callable[[], Awaitable[None]]] = []

            @property
            def accepting(self) -> bool:
                """True while new work is welcome (created or running)."""
                return self.state in ("created", "running")

            def _move(self, target: str) -> None:
                if target not in self.TRANSITIONS[self.state]:
                    raise RuntimeError(f"lifecycle cannot go from {self.state} to {target}")
                self.state = target
                self.history.append((target, time.time()))

            async def start(self) -> None:
                """Run the start callbacks in order, then accept work as running."""
                if self.state == "running":
                    return
                for callback in self.on_start:
                    await callback()
                self._move("running")

            async def stop(self) -> bool:
                """Refuse new work, wait for work in flight, run the stop callbacks; True when everything drained in time."""
                if self.state == "stopped":
                    return True
                if self.state == "created":
                    self._move("stopped")
                    return True
                self._move("stopping")
                deadline = time.monotonic() + self.drain_timeout_s
                while self.in_flight > 0 and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
                drained = self.in_flight == 0
                for callback in reversed(self.on_stop):
                    try:
                        await callback()
                    except Exception:  # a failing callback must not keep the node half stopped
                        logger.exception("lifecycle stop callback failed")
                self._move("stopped")
                return drained


        class PatternLifecycle:
            """Lifecycle pattern: start_node/stop_node, and requests refused once the node is stopping."""

            def _pattern_init_lifecycle(self, config: dict[str, Any]) -> None:
                self.lifecycle = NodeLifecycle(float(config.get("lifecycle_drain_timeout_s", 5.0)))

            async def start_node(self) -> None:
                """Start the node (idempotent)."""
                await self.lifecycle.start()

            async def stop_node(self) -> bool:
                """Stop the node gracefully; True when all work in flight finished in time."""
                return await self.lifecycle.stop()

            def _pattern_before_lifecycle(self, operation: str, payload: dict[str, Any]) -> str | None:
                if not self.lifecycle.accepting:
                    return f"node is {self.lifecycle.state}; {operation} refused"
                return None

            def _pattern_wrap_lifecycle(self, operation: str, call: PatternCall) -> PatternCall:
                async def tracked() -> dict[str, Any]:
                    self.lifecycle.in_flight += 1
                    try:
                        return await call()
                    finally:
                        self.lifecycle.in_flight -= 1

                return tracked

            async def _pattern_health_lifecycle(self) -> dict[str, Any]:
                return {"ok": self.lifecycle.accepting, "state": self.lifecycle.state, "in_flight": self.lifecycle.in_flight}
        """";
}
