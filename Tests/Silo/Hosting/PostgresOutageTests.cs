using System.Diagnostics;
using System.Globalization;
using System.Net;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// A database that stops or hangs under a running silo process: requests that need it get a prompt
/// 503, and the silo recovers without a restart when it returns.
/// </summary>
/// <remarks>
/// These tests time what a client waits, against the store's deadline of 4 s plus at most a second
/// for the rest of the request. They run on their own (<see cref="SerialTests"/>): with the rest of
/// the suite running on the same two cores, the second is not the service's own.
/// </remarks>
[Collection(SerialTests.Name)]
public sealed class PostgresOutageTests
{
    const string Stamp = ApiCalls.Base + "/stamp";

    [Fact]
    public async Task A_stopped_database_is_a_prompt_503_and_the_silo_recovers_when_it_returns()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        await using var database = new PrivateDatabase(server);
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostJsonAsync(Stamp, new { content = "before", @namespace = "pg.outage" })).Status);

        await server.StopAsync();

        var started = Stopwatch.GetTimestamp();
        var during = await service.Http.PostJsonAsync(Stamp, new { content = "during", @namespace = "pg.outage" });
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.Equal("DEPENDENCY_UNAVAILABLE", during.ErrorCode);
        Assert.True(during.Response.Headers.RetryAfter is not null, "503 carries Retry-After");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the 503 took {elapsed.TotalSeconds:F1} s");
        var lookup = await service.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{new string('a', 64)}?namespace=pg.outage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Http.GetAsync("/health/ready")).StatusCode);
        var workflow = await service.Http.PostJsonAsync("/api/v1/workflows", new { @namespace = "pg.outage", items = new[] { new { content = "during" } } });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (workflow.Status, workflow.ErrorCode));
        var unknownWorkflow = await service.Http.GetReplyAsync($"/api/v1/workflows/{Guid.NewGuid()}");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (unknownWorkflow.Status, unknownWorkflow.ErrorCode));
        var health = await service.Http.GetReplyAsync(ApiCalls.Base + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("components.postgres", health.ErrorField);

        await server.ResumeAsync();

        await Eventually.TrueAsync(async () => (await service.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await service.Http.PostJsonAsync(Stamp, new { content = "after", @namespace = "pg.outage" })).Status == HttpStatusCode.Created,
            "stamping works again", TimeSpan.FromSeconds(30));
        var listing = await service.Http.GetReplyAsync(ApiCalls.Base + "/namespace/pg.outage");
        Assert.Equal(["after", "before"], listing.Data.GetProperty("stamps").EnumerateArray()
            .Select(s => s.GetProperty("file_size").GetInt64() == 5 ? "after" : "before"));
    }

    [Fact]
    public async Task A_database_that_hangs_is_a_503_within_5_seconds_too_for_every_request_of_a_stream()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        await using var database = new PrivateDatabase(server);
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);
        // Stamps at once first, so the pool holds open connections: statements sent on them hang
        // and are cancelled at the deadline (on connections still to open, the connect times out).
        var warm = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => service.Http.PostJsonAsync(Stamp, new { content = $"before {i}", @namespace = "pg.hang" })));
        Assert.All(warm, w => Assert.Equal(HttpStatusCode.Created, w.Status));
        var workflows = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => service.Http.PostJsonAsync("/api/v1/workflows", new { @namespace = "pg.hang", items = new[] { new { content = $"before {i}" } } })));
        Assert.All(workflows, w => Assert.Equal(HttpStatusCode.Accepted, w.Status));

        await server.FreezeAsync();
        try
        {
            // A request every 100 ms, as from clients that keep coming: the later ones arrive while
            // the earlier ones' statements hang, so each must not wait for those (group commit) nor
            // for threads busy cancelling them. Stamps, lookups and workflows (grain state).
            var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * i));
                var started = Stopwatch.GetTimestamp();
                var reply = (i % 6) switch
                {
                    3 => await service.Http.GetReplyAsync($"{Stamp}/{new string('b', 64)}?namespace=pg.hang"),
                    // Grain state through Orleans' ADO.NET storage, which on its own waited for Npgsql's 30 s command timeout.
                    0 => await service.Http.PostJsonAsync("/api/v1/workflows", new { @namespace = "pg.hang", items = new[] { new { content = $"during {i}" } } }),
                    _ => await service.Http.PostJsonAsync(Stamp, new { content = $"during {i}", @namespace = "pg.hang" }),
                };
                return (Reply: reply, Elapsed: Stopwatch.GetElapsedTime(started));
            }));

            Assert.All(answers, a => Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (a.Reply.Status, a.Reply.ErrorCode)));
            Assert.All(answers, a => Assert.Contains("postgres", a.Reply.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal));
            var times = string.Join(", ", answers.Select(a => a.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)));
            Assert.True(answers.All(a => a.Elapsed < TimeSpan.FromSeconds(5)), $"every 503 within 5 s; they took {times} s");
        }
        finally
        {
            await server.ThawAsync();
        }
        await Eventually.TrueAsync(async () => (await service.Http.PostJsonAsync(Stamp, new { content = "after", @namespace = "pg.hang" })).Status == HttpStatusCode.Created,
            "stamping works again", TimeSpan.FromSeconds(30));
    }

    /// <summary>A database on a server of the test's own.</summary>
    sealed class PrivateDatabase(PostgresServer server) : PostgresDatabase
    {
        protected override Task<PostgresServer> ServerAsync() => Task.FromResult(server);
    }
}
