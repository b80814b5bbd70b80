using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// <c>omnibridge stamp</c> against a service that is busy at first (docs/cli.md, "stamp"): a 429 with Retry-After is
/// waited out for as long as it says, a 503 without one is backed off and sent again, and the tree ends up stamped.
/// </summary>
public sealed class BusyServiceTests(BusyServiceTests.BusyService service) : IClassFixture<BusyServiceTests.BusyService>
{
    const string Batch = ApiCalls.Base + "/batch";
    const string Stamp = ApiCalls.Base + "/stamp";

    [Fact]
    public async Task A_429_is_waited_out_for_its_retry_after_and_a_503_is_backed_off_and_every_file_gets_stamped()
    {
        using var tree = new SampleTree(textFiles: 20, large: false);
        tree.WriteBytes("dist/over-8-mib.bin", new byte[(8 << 20) + 1]);   // through the streaming door
        var ns = "cli.busy" + Guid.NewGuid().ToString("N")[..8];

        var stamp = await Omnibridge.RunAsync(["stamp", tree.Root, "--namespace", ns, "--server", service.Url]);

        Assert.True(stamp.ExitCode == 0, stamp.ToString());
        var batches = service.Arrivals(Batch);
        Assert.Equal([StatusCodes.Status429TooManyRequests, StatusCodes.Status200OK], batches.Select(b => b.Status));
        Assert.True(batches[1].At - batches[0].At >= TimeSpan.FromSeconds(BusyService.RetryAfterSeconds - 0.1),
            $"the batch came back {(batches[1].At - batches[0].At).TotalSeconds:F2} s after a 429 asking for {BusyService.RetryAfterSeconds} s");
        var streamed = service.Arrivals(Stamp);
        Assert.Equal([StatusCodes.Status503ServiceUnavailable, StatusCodes.Status201Created], streamed.Select(s => s.Status));

        var manifest = JsonDocument.Parse(File.ReadAllBytes(tree.PathOf("onex-manifest.json"))).RootElement;
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(tree.ExpectedPaths, files.Select(f => f.GetProperty("path").GetString()!).ToList());
        Assert.All(files, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("stamp_id").GetString())));
        var verify = await Omnibridge.RunAsync(["verify", tree.Root, "--server", service.Url, "--json"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    /// <summary>The embedded default behind a front door that refuses the first /batch (429) and the first POST /stamp (503).</summary>
    public sealed class BusyService : SiloApp, IStartupFilter
    {
        public const int RetryAfterSeconds = 2;

        readonly ConcurrentQueue<(string Path, TimeSpan At, int Status)> arrivals = new();
        readonly Stopwatch clock = Stopwatch.StartNew();
        int refusedBatch;
        int refusedStamp;

        public string Url => Address.ToString().TrimEnd('/');

        /// <summary>When each POST to <paramref name="path"/> arrived, and what it was answered, in order.</summary>
        public IReadOnlyList<(TimeSpan At, int Status)> Arrivals(string path) =>
            [.. arrivals.Where(a => a.Path == path).Select(a => (a.At, a.Status))];

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter>(this);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, following) =>
            {
                var at = clock.Elapsed;
                var path = http.Request.Path.Value ?? "";
                if (!HttpMethods.IsPost(http.Request.Method))
                {
                    await following(http);
                    return;
                }
                if (path == Batch && Interlocked.Exchange(ref refusedBatch, 1) == 0)
                {
                    http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await Unified.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, new ApiError(ErrorCodes.RateLimited, null, "busy"));
                }
                else if (path == Stamp && Interlocked.Exchange(ref refusedStamp, 1) == 0)
                {
                    await http.Request.Body.CopyToAsync(Stream.Null);
                    await Unified.WriteErrorAsync(http, StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorCodes.DependencyUnavailable, null, "busy"));
                }
                else
                {
                    await following(http);
                }
                arrivals.Enqueue((path, at, http.Response.StatusCode));
            });
            next(app);
        };
    }
}
