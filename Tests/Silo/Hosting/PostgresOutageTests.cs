using System.Diagnostics;
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
    public async Task A_database_that_hangs_is_a_503_within_5_seconds_too()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        await using var database = new PrivateDatabase(server);
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostJsonAsync(Stamp, new { content = "before", @namespace = "pg.hang" })).Status);

        await server.FreezeAsync();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var during = await service.Http.PostJsonAsync(Stamp, new { content = "during", @namespace = "pg.hang" });
            var elapsed = Stopwatch.GetElapsedTime(started);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
            Assert.Equal("DEPENDENCY_UNAVAILABLE", during.ErrorCode);
            Assert.Contains("postgres", during.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the 503 took {elapsed.TotalSeconds:F1} s");
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
