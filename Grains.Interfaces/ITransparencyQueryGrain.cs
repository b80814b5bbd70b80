using OmniBridge.Grains.Interfaces.Transparency;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Reads transparency logs: checkpoints, proofs and entries (docs/transparency.md, "Endpoints").
/// Stateless: call it with key 0; reads never wait on a log's writer.
/// </summary>
/// <remarks>Each call throws <see cref="TransparencyLogException"/> with LOG_DISABLED when the log is off.</remarks>
public interface ITransparencyQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The namespace's latest signed checkpoint, as the note's text.</summary>
    Task<string> CheckpointAsync(string namespaceName);

    /// <summary>Whether the log is on and the verifier key of the checkpoints.</summary>
    Task<TransparencyStatus> StatusAsync();

    /// <summary>The audit path of the record for <paramref name="fileHash"/> in the tree of <paramref name="treeSize"/> leaves (default: the latest checkpoint's).</summary>
    Task<InclusionProof> InclusionAsync(string namespaceName, string fileHash, long? treeSize);

    /// <summary>The proof that the tree of <paramref name="toSize"/> leaves extends the tree of <paramref name="fromSize"/> leaves.</summary>
    Task<ConsistencyProof> ConsistencyAsync(string namespaceName, long fromSize, long toSize);

    /// <summary>Up to <paramref name="limit"/> leaves from <paramref name="start"/>, within the latest checkpoint.</summary>
    Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit);
}
