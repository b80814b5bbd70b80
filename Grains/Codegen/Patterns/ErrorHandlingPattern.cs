namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>Every failure classified (a stable code, retryable or not), counted and kept in a short history; the exception travels on unchanged.</summary>
public sealed class ErrorHandlingPattern : ProductionPattern
{
    public override string Name => "error_handling";
    public override string Category => "error_handling";
    public override string Description => "Error handling: classifies every failure of a handler into a stable code (TIMEOUT, CONNECTION, PERMISSION, INVALID_INPUT, MISSING_FIELD, INVALID_RESULT, INTERNAL) and whether it is retryable, notes it on the exception, counts it and keeps the recent ones; a handler returning something other than a dict is an INVALID_RESULT.";
    public override IReadOnlyList<string> NodeTypes => EveryNodeType;
    public override IReadOnlyList<string> Tags => ["error", "errors", "exception", "failure", "handling", "fault", "classification", "resilience"];
    public override IReadOnlyList<string> Aliases => ["error_handler", "exception_handling"];
    public override PatternHooks Hooks => PatternHooks.Init | PatternHooks.Wrap | PatternHooks.Health;
    public override int WrapOrder => 30;
    public override IReadOnlyList<string> ImportLines => ["from collections import deque"];

    public override string Generate(NodePlan plan) => """"
        class ErrorClassifier:
            """Maps exceptions to stable codes, counts them and keeps the most recent."""

            # First match wins: more specific classes before their bases.
            RULES: tuple[tuple[type[BaseException], str, bool], ...] = (
                (TimeoutError, "TIMEOUT", True),
                (ConnectionError, "CONNECTION", True),
                (PermissionError, "PERMISSION", False),
                (KeyError, "MISSING_FIELD", False),
                (ValueError, "INVALID_INPUT", False),
                (TypeError, "INVALID_INPUT", False),
            )

            def __init__(self, history: int) -> None:
                self.counts: dict[str, int] = {}
                self.recent: deque[dict[str, Any]] = deque(maxlen=max(1, history))
                self.handled = 0

            def classify(self, exc: BaseException) -> tuple[str, bool]:
                """The code of ``exc`` and whether retrying may help."""
                for kind, code, retryable in self.RULES:
                    if isinstance(exc, kind):
                        return code, retryable
                return "INTERNAL", False

            def record(self, operation: str, exc: BaseException) -> str:
                """Classify, count and remember one failure; returns its code."""
                code, retryable = self.classify(exc)
                self.handled += 1
                self.counts[code] = self.counts.get(code, 0) + 1
                self.recent.append(
                    {"operation": operation, "code": code, "retryable": retryable, "error": f"{type(exc).__name__}: {exc}", "at": time.time()}
                )
                return code


        class PatternErrorHandling:
            """Error handling pattern: failures are classified on their way out of the handler."""

            def _pattern_init_error_handling(self, config: dict[str, Any]) -> None:
                self.error_classifier = ErrorClassifier(int(config.get("error_history_size", 50)))
                self.error_alert_threshold = int(config.get("error_alert_threshold", 10))

            def _pattern_wrap_error_handling(self, operation: str, call: PatternCall) -> PatternCall:
                async def classified() -> dict[str, Any]:
                    try:
                        result = await call()
                        if not isinstance(result, dict):
                            raise TypeError(f"handler of {operation} returned {type(result).__name__}, not a dict")
                        return result
                    except Exception as exc:
                        code = self.error_classifier.record(operation, exc)
                        # The exception goes on unchanged (retries and breakers still see its class), with its code noted.
                        exc.add_note(f"error_code={code}")
                        logger.warning("%s failed with %s: %s", operation, code, exc)
                        raise

                return classified

            def get_error_summary(self) -> dict[str, Any]:
                """Failures by code and the most recent ones."""
                classifier = self.error_classifier
                return {"handled": classifier.handled, "by_code": dict(classifier.counts), "recent": list(classifier.recent)}

            async def _pattern_health_error_handling(self) -> dict[str, Any]:
                recent = [entry for entry in self.error_classifier.recent if time.time() - entry["at"] <= 60.0]
                return {"ok": len(recent) < self.error_alert_threshold, "errors_last_minute": len(recent)}
        """";
}
