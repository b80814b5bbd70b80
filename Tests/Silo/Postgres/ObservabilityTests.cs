using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>SPEC §10 as an operator sees it: the service's metrics in Prometheus, and log lines carrying the request's id.</summary>
public sealed class ObservabilityTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>
    /// In a silo process of its own, as an operator scrapes it: meters are matched by name across
    /// the process, so the in-process silos of other tests would shadow this one's instruments.
    /// </summary>
    [Fact]
    public async Task Prometheus_shows_workflow_states_reducer_lag_outbox_depth_and_reducer_backlog()
    {
        await using var silo = await ServiceProcess.StartReadyAsync(OwnCluster("metrics"));
        var http = silo.Http;
        await http.StampAsync("counted and hashed", "observe.metrics");
        var started = await http.PostJsonAsync("/api/v1/workflows", new { @namespace = "observe.metrics", items = new[] { new { content = "observed" } } });
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var id = started.Data.GetProperty("workflow_id").GetString();
        await Eventually.TrueAsync(async () => (await http.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("state").GetString() == "completed", "the workflow completes");

        string[] expected = ["omnibridge_workflows_transitions_total{", "omnibridge_reducer_lag_seconds_bucket{", "omnibridge_workflows{"];
        string text;
        string[] missing;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            text = await http.GetStringAsync("/metrics");
            missing = [.. expected.Where(e => !text.Contains(e, StringComparison.Ordinal))];
            if (missing.Length > 0) await Task.Delay(500);
        }
        while (missing.Length > 0 && DateTime.UtcNow < deadline);
        Assert.True(missing.Length == 0, $"missing {string.Join(", ", missing)} in:\n" + string.Join("\n", text.Split('\n').Where(l => l.StartsWith("omnibridge_", StringComparison.Ordinal)).Take(40)));
        Assert.Matches(@"(?m)^omnibridge_workflows\{[^}]*state=""completed""[^}]*\} [1-9]", text);
        Assert.Matches(@"(?m)^omnibridge_outbox_pending(\{[^}]*\})? \d", text);
        Assert.Matches(@"(?m)^omnibridge_reducer_backlog(\{[^}]*\})? \d", text);
        Assert.Contains("omnibridge_stamps_created_total{", text, StringComparison.Ordinal);
        Assert.Contains("omnibridge_hash_duration_milliseconds_bucket{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_lines_written_for_a_request_carry_its_request_id()
    {
        var settings = OwnCluster("logs");
        settings["LOG_FORMAT"] = "json";
        settings["Logging__LogLevel__Microsoft.AspNetCore"] = "Information";
        await using var silo = await ServiceProcess.StartReadyAsync(settings);
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Base + "/stamp")
        {
            Content = new StringContent("""{"content":"logged","namespace":"observe.logs"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "log-scope-42");
        Assert.Equal(HttpStatusCode.Created, (await silo.Http.SendAsync(request)).StatusCode);

        await Eventually.TrueAsync(() => Task.FromResult(JsonLines(silo.Output).Any(line =>
            line.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(s =>
                s.ValueKind == JsonValueKind.Object && s.TryGetProperty("request_id", out var rid) && rid.GetString() == "log-scope-42"))),
            "a JSON log line carries request_id in its scopes");
    }

    /// <summary>The fixture's database, and a cluster of one silo that no other test joins.</summary>
    Dictionary<string, string> OwnCluster(string purpose) => new(database.Settings)
    {
        ["CLUSTER_ID"] = purpose + "-" + Guid.NewGuid().ToString("N")[..8],
    };

    static IEnumerable<JsonElement> JsonLines(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            if (!line.TrimStart().StartsWith('{')) continue;
            JsonElement parsed;
            try
            {
                parsed = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                continue;
            }
            yield return parsed;
        }
    }
}
