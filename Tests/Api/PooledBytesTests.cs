using OmniBridge.Api.Requests;

namespace OmniBridge.Tests.Api;

/// <summary>Request bodies read into pooled buffers: small ones from the shared pool, large ones from a bounded pool of their own.</summary>
public sealed class PooledBytesTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(PooledBytes.SmallBody + 1)]
    [InlineData(PooledBytes.LargestKept + 1)]
    public void A_body_that_grows_past_each_pool_reads_back_intact_and_gives_its_buffers_back(int size)
    {
        var body = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        // Several at once and again, as concurrent requests do: every buffer goes back to the pool it came from.
        for (var round = 0; round < 3; round++)
        {
            var buffers = Enumerable.Range(0, PooledBytes.LargeKeptPerSize + 2).Select(_ => new PooledBytes(256)).ToList();
            foreach (var buffer in buffers)
            {
                for (var written = 0; written < size;)
                {
                    var free = buffer.FreeSpace();
                    var count = Math.Min(free.Length, size - written);
                    body.AsSpan(written, count).CopyTo(free.Span);
                    buffer.Advance(count);
                    written += count;
                }
                Assert.True(buffer.Span.SequenceEqual(body));
            }
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }
}
