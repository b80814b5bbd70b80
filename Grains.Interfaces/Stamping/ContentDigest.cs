namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>
/// Bytes that were hashed where they arrived instead of being carried to the grain: the streaming
/// door of POST /stamp (docs/protocol.md, "Streamed stamps") hashes an upload of any size as it reads it
/// and stamps the digest. The record is the one <c>content_base64</c> of the same bytes would create.
/// </summary>
/// <remarks>
/// A grain trusts the digest as given: only callers inside the cluster's trust boundary (the API,
/// grain clients) can send one, and they hash the bytes themselves.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record class ContentDigest
{
    /// <summary>BLAKE3 of the bytes, 64 lowercase hex characters.</summary>
    [Id(0)] public required string FileHash { get; init; }

    /// <summary>SHA-256 of the same bytes, 64 lowercase hex characters.</summary>
    [Id(1)] public required string Sha256 { get; init; }

    /// <summary>How many bytes were hashed.</summary>
    [Id(2)] public required long Size { get; init; }
}
