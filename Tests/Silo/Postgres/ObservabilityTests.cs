using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>docs/architecture.md, "Observability" as an operator sees it: the service's metrics in Prometheus, and log lines carrying the request's id.</summary>
public sealed class ObservabilityTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>
    /// In a silo process of its own, as an operator scrapes it: meters are matched by name across
    /// the process, so the in-process silos of other tests would shadow this one's instruments.
    /// </summary>
    [Fact]
    public async Task Prometheus_shows_orleans_stamp_hash_workflow_reducer_lag_outbox_and_backlog_series()
    {
        await using var silo = await ServiceProcess.StartReadyAsync(OwnCluster("metrics"));
        var http = silo.Http;
        await http.StampAsync("counted and hashed", "observe.metrics");
        var started = await http.PostJsonAsync("/api/v1/workflows", new { @namespace = "observe.metrics", items = new[] { new { content = "observed" } } });
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var id = started.Data.GetProperty("workflow_id").GetString();
        await Eventually.TrueAsync(async () => (await http.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("state").GetString() == "completed", "the workflow completes");

        // Gauges are read every 15 s: the scrape is repeated until every series shows what it should.
        string[] expected =
        [
            @"(?m)^omnibridge_workflows_transitions_total\{",
            @"(?m)^omnibridge_reducer_lag_seconds_bucket\{",
            @"(?m)^omnibridge_workflows\{[^}]*state=""completed""[^}]*\} [1-9]",
            @"(?m)^omnibridge_outbox_pending(\{[^}]*\})? \d",
            @"(?m)^omnibridge_reducer_backlog(\{[^}]*\})? \d",
            @"(?m)^omnibridge_stamps_created_total\{",
            @"(?m)^omnibridge_stamps_group_size_bucket\{",
            @"(?m)^omnibridge_hash_duration_milliseconds_bucket\{",
            @"(?m)^orleans_",
        ];
        var text = string.Empty;
        string[] missing = expected;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                text = await http.GetStringAsync("/metrics");
                missing = [.. expected.Where(e => !Regex.IsMatch(text, e))];
                return missing.Length == 0;
            }, "every series is scraped", TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.XunitException)
        {
            Assert.Fail($"missing {string.Join(", ", missing)} in:\n" + string.Join("\n", text.Split('\n').Where(l => l.StartsWith("omnibridge_", StringComparison.Ordinal)).Take(40)));
        }
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
