using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using OmniBridge.Api.Errors;

namespace OmniBridge.Api.Requests;

/// <summary>Body size limits, applied before a byte is read (docs/protocol.md, "The REST API": MAX_CONTENT_BYTES, MAX_HASH_STREAM_BYTES).</summary>
public static class RequestBody
{
    /// <summary>How far past the limit a refused body is still read (and dropped) so that its 413 arrives (see <see cref="LimitAsync"/>).</summary>
    public const long DiscardAtMost = 16 << 20;

    /// <summary>
    /// Refuses a declared length over <paramref name="limit"/> without keeping any of it, and has the
    /// server stop a longer chunked body at the limit (it throws a 413 that the error middleware maps).
    /// </summary>
    /// <remarks>
    /// A refused body whose bytes are still arriving is read and dropped first, when it is at most
    /// <see cref="DiscardAtMost"/> past the limit: a server that closes a connection with unread
    /// bytes in it resets the connection, and a client still sending then sees the reset instead
    /// of the 413 (the answer it was already sent is thrown away with the connection).
    /// </remarks>
    public static async Task LimitAsync(HttpContext http, long limit, string setting)
    {
        if (http.Request.ContentLength is { } declared && declared > limit)
        {
            if (declared - limit <= DiscardAtMost) await DiscardAsync(http, declared);
            throw ApiException.PayloadTooLarge(limit, setting);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        http.Items[LimitKey] = (limit, setting);
    }

    static async Task DiscardAsync(HttpContext http, long declared)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = declared;
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await http.Request.Body.ReadAsync(scratch, http.RequestAborted) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The client stopped sending, or sends too slowly: the 413 goes out all the same.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Reads the whole body into a pooled buffer, refusing more than <paramref name="limit"/> bytes.</summary>
    public static async Task<PooledBytes> ReadAllAsync(HttpContext http, long limit, string setting)
    {
        await LimitAsync(http, limit, setting);
        var body = new PooledBytes((int)Math.Min(http.Request.ContentLength ?? 16 * 1024, limit) + 1);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(body.FreeSpace(), http.RequestAborted);
                if (read == 0) return body;
                body.Advance(read);
                if (body.Length > limit) throw ApiException.PayloadTooLarge(limit, setting);
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The limit applied to this request, for the 413 message.</summary>
    public static (long Limit, string Setting)? Applied(HttpContext http) => http.Items[LimitKey] as (long, string)?;

    const string LimitKey = "omnibridge.body-limit";
}

/// <summary>
/// A growable byte buffer rented from a pool: the shared pool for small bodies, and for large ones (a /batch body is
/// about a megabyte) a pool of its own that keeps at most a few buffers of each size. The shared pool keeps a buffer
/// per thread and per core as well, so large bodies read on whichever threads ran them can leave many buffers of
/// megabytes on the large-object heap (bench/README.md, "Request bodies in a bounded pool").
/// </summary>
public sealed class PooledBytes(int initialCapacity) : IDisposable
{
    /// <summary>Buffers up to this size come from the shared pool.</summary>
    public const int SmallBody = 64 * 1024;

    /// <summary>Large buffers kept of each size; a body larger than <see cref="LargestKept"/> gets a buffer that is not kept.</summary>
    public const int LargeKeptPerSize = 4;

    /// <summary>The largest buffer the large-body pool keeps.</summary>
    public const int LargestKept = 16 << 20;

    static readonly ArrayPool<byte> LargeBodies = ArrayPool<byte>.Create(LargestKept, LargeKeptPerSize);

    byte[] buffer = Rent(Math.Max(initialCapacity, 256));

    static byte[] Rent(int size) => size <= SmallBody ? ArrayPool<byte>.Shared.Rent(size) : LargeBodies.Rent(size);

    static void Return(byte[] buffer)
    {
        if (buffer.Length <= SmallBody) ArrayPool<byte>.Shared.Return(buffer);
        else LargeBodies.Return(buffer);
    }

    public int Length { get; private set; }
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, Length);
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    /// <summary>Room to read into, growing the buffer when it is full.</summary>
    public Memory<byte> FreeSpace()
    {
        if (Length == buffer.Length)
        {
            var larger = Rent(buffer.Length * 2);
            buffer.AsSpan(0, Length).CopyTo(larger);
            Return(buffer);
            buffer = larger;
        }
        return buffer.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    public void Dispose()
    {
        if (buffer.Length == 0) return;
        Return(buffer);
        buffer = [];
    }
}
