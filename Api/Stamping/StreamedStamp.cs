using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Hashing;
using OmniBridge.Api.Requests;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// The streaming door of POST /stamp (docs/protocol.md, "Streamed stamps"): an
/// <c>application/octet-stream</c> body of up to MAX_HASH_STREAM_BYTES, hashed (BLAKE3 and SHA-256)
/// in 1 MiB blocks as it arrives and stamped detached, so a large artifact gets the record that
/// <c>content_base64</c> of the same bytes would get without ever being held in memory. The fields a
/// JSON body would carry come from the query: <c>namespace</c>, <c>file_path</c>, <c>content_type</c>.
/// </summary>
public static class StreamedStamp
{
    /// <summary>Checks the query (and the key's namespace) before reading a byte, then hashes the body.</summary>
    public static async Task<StampCommand> ReadAsync(HttpContext http, ApiSettings settings)
    {
        var namespaceName = Query.Namespace(http, settings);
        http.SetNamespace(namespaceName);
        var filePath = Checked(http, "file_path", StampFields.FilePathProblem);
        var contentType = Checked(http, "content_type", StampFields.ContentTypeProblem);

        await RequestBody.LimitAsync(http, settings.MaxHashStreamBytes, "MAX_HASH_STREAM_BYTES");
        var hash = await StreamHasher.HashAsync(http.Request.Body, http.RequestAborted, withSha256: true);
        return new StampCommand
        {
            Namespace = namespaceName,
            Digest = new ContentDigest { FileHash = hash.FileHash, Sha256 = hash.Sha256!, Size = hash.Length },
            FilePath = filePath,
            ContentType = contentType,
        };
    }

    static string? Checked(HttpContext http, string name, Func<string, string?> problem) =>
        Query.Value(http, name) is not { } value ? null
        : problem(value) is { } why ? throw ApiException.Validation(name, why)
        : value;
}
