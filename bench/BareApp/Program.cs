using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Blake3;
using OmniBridge.Bench.BareApp;

// The bare app: a minimal ASP.NET Core API doing what /hash does, and nothing else. POST /hash
// with JSON {content} parses, hashes the UTF-8 bytes and answers; with any other body it streams
// the body through one BLAKE3 hasher in 1 MiB blocks; POST /drain only reads and drops the body
// (the loopback transfer ceiling). With `grain`, JSON content is hashed by a stateless worker grain
// of a silo in the same process instead (HashWorkerGrain): the same work behind one grain call, the
// floor of any endpoint that calls a grain. Usage: OmniBridge.Bench.BareApp <port> [grain]
var port = int.Parse(args.Length > 0 ? args[0] : "8090", System.Globalization.CultureInfo.InvariantCulture);
var throughGrain = args is [_, "grain", ..];
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenLocalhost(port);
    kestrel.Limits.MaxRequestBodySize = null;
});
if (throughGrain)
{
    builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: port + 3000, gatewayPort: port + 23000, clusterId: $"bare-{port}"));
}
var app = builder.Build();
// One reference for every request, as the service keeps its own (ServiceGrains).
var worker = throughGrain ? app.Services.GetRequiredService<IGrainFactory>().GetGrain<IHashWorkerGrain>(0) : null;

app.MapPost("/hash", async (HttpContext http) =>
{
    if (http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
    {
        using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        var content = document.RootElement.GetProperty("content").GetString() ?? "";
        var started = Stopwatch.GetTimestamp();
        var (hash, length) = worker is null ? HashWorkerGrain.Hash(content) : await worker.HashAsync(content);
        return Answer(hash, length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    var block = ArrayPool<byte>.Shared.Rent(1 << 20);
    try
    {
        using var hasher = Hasher.New();
        long length = 0;
        int read;
        var hashing = 0L;
        do
        {
            read = await http.Request.Body.ReadAtLeastAsync(block.AsMemory(0, 1 << 20), 1 << 20, throwOnEndOfStream: false, http.RequestAborted);
            var started = Stopwatch.GetTimestamp();
            hasher.Update(block.AsSpan(0, read));
            hashing += Stopwatch.GetTimestamp() - started;
            length += read;
        }
        while (read == 1 << 20);
        return Answer(hasher.Finalize().ToString(), length, Stopwatch.GetElapsedTime(0, hashing).TotalMilliseconds);
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(block);
    }
});

app.MapPost("/drain", async (HttpContext http) =>
{
    var block = ArrayPool<byte>.Shared.Rent(1 << 20);
    long length = 0;
    int read;
    while ((read = await http.Request.Body.ReadAsync(block, http.RequestAborted)) > 0) length += read;
    ArrayPool<byte>.Shared.Return(block);
    return Results.Json(new { file_size_bytes = length });
});

app.Run();

static IResult Answer(string hash, long size, double ms) => Results.Json(new
{
    status = "success",
    data = new { file_hash = hash, file_size_bytes = size, execution_time_ms = ms, performance_grade = ms < 1 ? "A" : ms < 2 ? "B" : "C" },
});
