using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using OmniBridge.Tests.Fixtures;
using Xunit.Abstractions;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>POST /hash and the streaming door of POST /stamp: a 1 GiB body hashes to what b3sum says, and the service's memory barely moves.</summary>
public sealed class HashStreamingTests(ITestOutputHelper output)
{
    const long OneGiB = 1L << 30;

    [Fact]
    public async Task A_one_GiB_upload_hashes_and_stamps_like_b3sum_with_bounded_memory()
    {
        var file = Path.Combine(Path.GetTempPath(), $"omnibridge-1gib-{Guid.NewGuid():N}.bin");
        try
        {
            await WriteRandomFileAsync(file, OneGiB);
            var expected = await B3sum.OfFileAsync(file);

            await using var service = await ServiceProcess.StartReadyAsync();
            await service.Http.PostAsync("/api/v1/metadata-stamping/hash", new ByteArrayContent(new byte[4 << 20]));   // warm up
            var before = service.ResidentMemory();

            var started = Stopwatch.GetTimestamp();
            await using var stream = File.OpenRead(file);
            using var content = new StreamContent(stream, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var reply = await Reply.ReadAsync(await service.Http.PostAsync("/api/v1/metadata-stamping/hash", content));
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var after = service.ResidentMemory();

            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal(expected, reply.Data.GetProperty("file_hash").GetString());
            Assert.Equal(OneGiB, reply.Data.GetProperty("file_size_bytes").GetInt64());
            var growth = after.Peak - before.Peak;
            output.WriteLine($"1 GiB through /hash in {seconds:F2} s ({1024 / seconds:F0} MiB/s); peak RSS {before.Peak >> 20} -> {after.Peak >> 20} MiB");
            // One 1 MiB block plus the server's own buffers: far below the body's size.
            Assert.True(growth < 128L << 20, $"peak RSS grew by {growth >> 20} MiB while hashing 1 GiB");

            // The streaming door of /stamp reads the same way, with SHA-256 beside BLAKE3.
            started = Stopwatch.GetTimestamp();
            await using var again = File.OpenRead(file);
            using var stamped = new StreamContent(again, 1 << 20);
            stamped.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var record = await Reply.ReadAsync(await service.Http.PostAsync("/api/v1/metadata-stamping/stamp?namespace=streaming.big", stamped));
            seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var afterStamp = service.ResidentMemory();

            Assert.Equal(HttpStatusCode.Created, record.Status);
            Assert.Equal(expected, record.Data.GetProperty("file_hash").GetString());
            Assert.Equal(OneGiB, record.Data.GetProperty("file_size").GetInt64());
            growth = afterStamp.Peak - before.Peak;
            output.WriteLine($"1 GiB through the streaming /stamp in {seconds:F2} s ({1024 / seconds:F0} MiB/s); peak RSS {before.Peak >> 20} -> {afterStamp.Peak >> 20} MiB");
            Assert.True(growth < 128L << 20, $"peak RSS grew by {growth >> 20} MiB while stamping 1 GiB");
        }
        finally
        {
            File.Delete(file);
        }
    }

    static async Task WriteRandomFileAsync(string path, long size)
    {
        var block = new byte[4 << 20];
        var random = new Random(20261127);
        await using var file = File.Create(path);
        for (long written = 0; written < size; written += block.Length)
        {
            random.NextBytes(block);
            await file.WriteAsync(block);
        }
    }
}
