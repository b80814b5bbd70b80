using System.Text.Json;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>
/// docs/patterns.md: the code each pattern adds to a generated node, judged by python3. For every node type, every pattern
/// that applies to it, alone and all together (beside every mixin the node type allows), gives a package that passes the
/// package validation at strict level, imports, runs every operation, and does what the pattern promises when exercised.
/// </summary>
public sealed class PatternCodeTests
{
    static readonly CodegenKit Kit = new();
    static readonly string[] NodeTypes = ["effect", "compute", "reducer", "orchestrator"];

    /// <summary>What each pattern's code must do, as Python run inside <c>async def main()</c>; <c>make(config)</c> builds a node.</summary>
    static readonly Dictionary<string, string> Exercises = new()
    {
        ["lifecycle"] = """
            node = make({})
            await node.start_node()
            assert node.lifecycle.state == "running"
            assert (await run(node, OPS[0])).success
            assert await node.stop_node() is True
            refused = await run(node, OPS[0])
            assert not refused.success and "stopped" in refused.error, refused
            assert (await node.health_check())["patterns"]["lifecycle"]["ok"] is False
            """,
        ["health_checks"] = """
            node = make({})
            report = await node.check_health()
            assert report["ok"] and set(report["checks"]) == {"handlers", "event_loop"}, report
            async def broken():
                raise RuntimeError("disk full")
            node.register_health_check("disk", broken)
            health = await node.health_check()
            assert health["status"] == "degraded" and health["patterns"]["health_checks"]["checks"]["disk"]["ok"] is False, health
            """,
        ["database_health"] = """
            node = make({})
            assert (await node.check_database())["status"] == "not_configured"
            server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            node = make({"database_url": f"postgresql://app:pw@127.0.0.1:{port}/db"})
            report = await node.check_database()
            assert report["ok"] and report["target"] == f"127.0.0.1:{port}" and "pw" not in str(report), report
            server.close()
            await server.wait_closed()
            async def down():
                raise ConnectionRefusedError("no database")
            node.set_database_probe(down)
            report = await node.check_database()
            assert not report["ok"] and report["consecutive_failures"] == 1, report
            assert (await node.health_check())["status"] == "degraded"
            """,
        ["kafka_health"] = """
            server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            node = make({"kafka_bootstrap_servers": f"127.0.0.1:{port}, 127.0.0.1:1"})
            report = await node.check_kafka()
            assert report["ok"] and report["reachable"] == [f"127.0.0.1:{port}"] and report["brokers"] == 2, report
            server.close()
            await server.wait_closed()
            node = make({"kafka_bootstrap_servers": "127.0.0.1:1", "kafka_health_timeout_s": 0.5})
            assert not (await node.check_kafka())["ok"]
            """,
        ["metrics"] = """
            node = make({})
            for operation in OPS:
                assert (await run(node, operation)).success
            await run(node, "no_such_operation")
            snapshot = node.metrics_snapshot()
            assert sorted(snapshot) == sorted(OPS) and all(entry["count"] == 1 for entry in snapshot.values()), snapshot
            text = node.render_prometheus()
            assert f'omninode_{NODE_NAME}_requests_total{{operation="{OPS[0]}"}} 1' in text, text
            assert "no_such_operation" not in text
            """,
        ["event_publishing"] = """
            node = make({})
            for operation in OPS:
                assert (await run(node, operation, correlation_id="c-1")).success
            events = node.drain_events()
            assert [event["event_type"] for event in events] == [f"{NODE_NAME}.{operation}.completed" for operation in OPS], events
            assert all(event["correlation_id"] == "c-1" and len(event["event_id"]) == 36 for event in events)
            sent = []
            node.set_event_sink(sent.append)
            await run(node, OPS[0])
            assert len(sent) == 1 and node.drain_events() == []
            """,
        ["service_discovery"] = """
            node = make({"service_id": "one", "service_port": 9001, "service_registry": ServiceRegistry()})
            found = node.discover_service(NODE_NAME)
            assert [instance["id"] for instance in found] == ["one"] and found[0]["port"] == 9001, found
            assert node.discover_service(NODE_NAME, tag=OPS[0])
            assert node.deregister_service() is True
            assert node.discover_service(NODE_NAME) == []
            """,
        ["error_handling"] = """
            node = make({})
            async def bad(payload):
                raise ValueError("amount must be positive")
            node._handlers[OPS[0]] = bad
            response = await run(node, OPS[0])
            assert not response.success and "amount must be positive" in response.error, response
            async def not_a_dict(payload):
                return ["no"]
            node._handlers[OPS[-1]] = not_a_dict
            assert not (await run(node, OPS[-1])).success
            summary = node.get_error_summary()
            assert summary["by_code"].get("INVALID_INPUT", 0) >= 2, summary
            assert summary["recent"][0]["code"] == "INVALID_INPUT"
            """,
        ["retry"] = """
            node = make({"retry_policy_base_delay_s": 0.001, "retry_policy_max_delay_s": 0.002, "retry_attempts": 1, "retry_policy_attempts": 3})
            calls = []
            async def flaky(payload):
                calls.append(1)
                if len(calls) < 3:
                    raise ConnectionError("transient")
                return {"ok": True}
            node._handlers[OPS[0]] = flaky
            response = await run(node, OPS[0])
            assert response.success and len(calls) == 3 and node.retry_policy.retries == 2, (response, calls)
            policy = RetryPolicy(5, 0.1, 0.4, 10.0)
            assert all(0.05 <= policy.delay(1) <= 0.1 and 0.2 <= policy.delay(3) <= 0.4 for _ in range(50))
            # By default three attempts in all, whether the Retry mixin retries the call or the policy does: never 3 x 3.
            node = make({"retry_policy_base_delay_s": 0.001, "retry_policy_max_delay_s": 0.002, "retry_base_delay_s": 0.001, "retry_max_delay_s": 0.002})
            failures = []
            async def down(payload):
                failures.append(1)
                raise ConnectionError("down")
            node._handlers[OPS[0]] = down
            try:
                succeeded = (await run(node, OPS[0])).success
            except ConnectionError:
                succeeded = False
            assert not succeeded and len(failures) == 3, failures
            """,
        ["circuit_breaker"] = """
            node = make({"circuit_failure_threshold": 2, "circuit_recovery_timeout_s": 0.05, "retry_attempts": 1})
            async def down(payload):
                raise ValueError("downstream said no")
            healthy = node._handlers[OPS[0]]
            node._handlers[OPS[0]] = down
            for _ in range(2):
                assert not (await run(node, OPS[0])).success
            assert node.circuit_breaker.state == "open"
            rejected = await run(node, OPS[0])
            assert "CircuitOpenError" in rejected.error, rejected
            assert (await node.health_check())["patterns"]["circuit_breaker"]["state"] == "open"
            node._handlers[OPS[0]] = healthy
            await asyncio.sleep(0.06)
            assert (await run(node, OPS[0])).success
            assert node.circuit_breaker.state == "closed"
            assert [t[1] for t in node.circuit_breaker.transitions] == ["open", "half_open", "closed"]
            """,
    };

    public static TheoryData<string, string> EachPatternAlone()
    {
        var data = new TheoryData<string, string>();
        foreach (var nodeType in NodeTypes)
            foreach (var pattern in PatternCatalogue.All.Where(p => p.AppliesTo(nodeType)))
                data.Add(nodeType, pattern.Name);
        return data;
    }

    [Fact]
    public void Every_pattern_of_the_catalogue_has_an_exercise_and_applies_somewhere()
    {
        Assert.True(PatternCatalogue.All.Count >= 10);
        Assert.Equal(PatternCatalogue.All.Select(p => p.Name).Order(), Exercises.Keys.Order());
        Assert.All(PatternCatalogue.All, p => Assert.NotEmpty(p.NodeTypes));
    }

    [Theory]
    [MemberData(nameof(EachPatternAlone))]
    public async Task Each_pattern_alone_passes_strict_validation_imports_and_does_its_job(string nodeType, string pattern) =>
        await CheckAsync(nodeType, [pattern], mixins: null);

    [Theory]
    [InlineData("effect")]
    [InlineData("compute")]
    [InlineData("reducer")]
    [InlineData("orchestrator")]
    public async Task Every_applicable_pattern_together_with_every_mixin_passes_and_each_still_works(string nodeType) =>
        await CheckAsync(nodeType, [.. PatternCatalogue.All.Where(p => p.AppliesTo(nodeType)).Select(p => p.Name)],
            mixins: nodeType == "compute" ? ["Validation", "Security", "HealthCheck", "Metrics"] : MixinRules.All);

    static async Task CheckAsync(string nodeType, IReadOnlyList<string> patterns, IReadOnlyList<string>? mixins)
    {
        var name = $"patterned_{nodeType}";
        var requirements = CodegenKit.Requirements(nodeType, name, "Serves records for the pattern tests", ["store", "fetch"], mixins: mixins);
        var plan = NodePlan.For(requirements) with { Patterns = patterns };
        var files = Kit.Renderer.RenderAll(plan);
        var node = files.Single(f => f.Path == "node.py").Content;
        foreach (var pattern in patterns) Assert.Contains($"class {PatternCatalogue.Find(pattern)!.Mixin}:", node, StringComparison.Ordinal);

        var findings = await Kit.Validation.ValidateAsync(plan, files, ValidationLevels.Strict);
        Assert.Empty(findings.Errors);
        Assert.Empty(findings.Notes);

        var script = Script(plan, patterns);
        var folder = CodegenKit.WriteOut(name, files);
        try
        {
            var (exit, output) = await CodegenKit.PythonAsync(folder, "-c", script);
            Assert.True(exit == 0, $"the package with {string.Join(", ", patterns)} failed:\n{output}\n{script}");
            Assert.Contains("patterns ok", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static string Script(NodePlan plan, IReadOnlyList<string> patterns)
    {
        var service = plan.Requirements.ServiceName;
        var exercises = string.Join("\n", patterns.Select(p => Indent(Exercises[p])));
        var health = PatternCatalogue.All.Where(p => patterns.Contains(p.Name) && p.Hooks.HasFlag(PatternHooks.Health)).Select(p => p.Name).ToList();
        return $$"""
            import asyncio, importlib
            module = importlib.import_module("{{service}}.node")
            models = importlib.import_module("{{service}}.models")
            from {{service}}.node import *
            OPS = {{JsonSerializer.Serialize(plan.Operations.Select(o => o.Name))}}

            def make(config):
                return getattr(module, "{{plan.ClassName}}")(config)

            async def run(node, operation, payload=None, correlation_id=None):
                request = models.Model{{plan.PascalName}}Request(operation=operation, payload=payload or {"value": 2}, correlation_id=correlation_id)
                return await node.{{plan.ExecuteMethod}}(request)

            async def main():
                node = make({})
                assert PATTERNS == {{JsonSerializer.Serialize(patterns)}}, PATTERNS
                for operation in OPS:
                    response = await run(node, operation)
                    assert response.success, response
                health = await node.health_check()
                assert sorted(health.get("patterns", {})) == sorted({{JsonSerializer.Serialize(health)}}), health
                assert health["status"] == "healthy", health
            {{exercises}}
                print("patterns ok")

            asyncio.run(main())
            """;
    }

    static string Indent(string code) => string.Join("\n", code.Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
}
