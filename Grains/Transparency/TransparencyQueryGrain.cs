using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// Answers checkpoint, proof and entry requests from the log store (docs/transparency.md, "Endpoints").
/// A stateless worker: reads scale with the silos and never queue behind a log's writer. A proof
/// reads the record and the checkpoint side by side (the checkpoint as the silo read it a moment
/// ago while that one covers the proof, <see cref="RecentCheckpoints"/>), then the few stored hash
/// tiles it needs.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class TransparencyQueryGrain(
    ITransparencyLogStore log,
    IStampStore stamps,
    LogSigner signer,
    RecentCheckpoints recent,
    IOptions<TransparencyOptions> options) : Grain, ITransparencyQueryGrain
{
    /// <summary>Entries one request may ask for.</summary>
    public const int EntriesLimit = 1000;

    readonly TransparencyOptions settings = options.Value;
    readonly LogReader reader = new(log);

    public async Task<string> CheckpointAsync(string namespaceName)
    {
        Require(namespaceName);
        // A log never signed (or signed by another key) gets its first checkpoint from its writer.
        var latest = await log.CheckpointAsync(namespaceName) is { } note && Checkpoint.SignedBy(note, signer.Key)
            ? note
            : await GrainFactory.GetGrain<ITransparencyLogGrain>(namespaceName).CheckpointAsync();
        recent.Keep(namespaceName, latest);
        return latest;
    }

    public Task<TransparencyStatus> StatusAsync() => Task.FromResult(new TransparencyStatus
    {
        Enabled = settings.Enabled,
        EphemeralKey = signer.Ephemeral,
        VerifierKey = signer.Key.VerifierKey,
    });

    public async Task<InclusionProof> InclusionAsync(string namespaceName, string fileHash, long? treeSize)
    {
        Require(namespaceName);
        if (!FileHash.IsValid(fileHash)) throw new TransparencyLogException(ErrorCodes.InvalidHashFormat, "file_hash", FileHash.Rule);
        // The checkpoint and the record side by side: one round trip of waiting, not two. A note read a
        // moment ago serves while it covers the record and the size asked for; past it, the latest is read.
        var found = stamps.FindAsync(namespaceName, fileHash);
        var note = recent.Get(namespaceName);
        if (note is null || !Covers(Checkpoint.SizeOf(note), treeSize, await found)) note = await CheckpointAsync(namespaceName);
        var latest = Checkpoint.SizeOf(note);
        var size = treeSize ?? latest;
        if (treeSize is { } asked && (asked < 1 || asked > latest))
            throw new TransparencyLogException(ErrorCodes.ValidationError, "tree_size", $"tree_size must be from 1 to the latest checkpoint's size, {latest}");

        var record = await found
            ?? throw new TransparencyLogException(ErrorCodes.StampNotFound, "file_hash", $"no stamp for {fileHash} in namespace {namespaceName}");
        if (record.LogIndex is not { } index || index >= size)
        {
            throw new TransparencyLogException(ErrorCodes.NotYetIntegrated, "file_hash",
                record.LogIndex is { } later ? $"the record is leaf {later}, outside the tree of {size} leaves"
                    : treeSize is null ? "the record is not in the log yet; integration will include it shortly" : $"the record is not in the tree of {size} leaves",
                retryLater: treeSize is null);
        }

        // The leaf is the record's, made as integration made it: no read of the stored leaf.
        var hashes = await reader.InclusionAsync(namespaceName, index, size);
        return new InclusionProof { LeafIndex = index, TreeSize = size, Leaf = LogLeaf.Of(record), Hashes = hashes, Checkpoint = note };
    }

    /// <summary>
    /// Whether a proof can be answered with a note of <paramref name="noteSize"/> leaves: the size asked for is within
    /// it, and so is the record's leaf. Anything else (no record, no leaf yet) a newer note would not change.
    /// </summary>
    static bool Covers(long noteSize, long? treeSize, StampRecord? record)
    {
        var size = treeSize ?? noteSize;
        return size <= noteSize && !(record?.LogIndex >= size);
    }

    public async Task<ConsistencyProof> ConsistencyAsync(string namespaceName, long fromSize, long toSize)
    {
        var (from, to) = (fromSize, toSize);
        Require(namespaceName);
        var latest = Checkpoint.SizeOf(await CheckpointAsync(namespaceName));
        if (from < 1 || from > to || to > latest)
            throw new TransparencyLogException(ErrorCodes.ValidationError, from < 1 || from > to ? "from" : "to", $"a consistency proof needs 0 < from <= to <= {latest}, the latest checkpoint's size");
        return new ConsistencyProof { From = from, To = to, Hashes = await reader.ConsistencyAsync(namespaceName, from, to) };
    }

    public async Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit)
    {
        Require(namespaceName);
        if (start < 0) throw new TransparencyLogException(ErrorCodes.ValidationError, "start", "start must be a whole number, 0 or more");
        if (limit is < 1 or > EntriesLimit) throw new TransparencyLogException(ErrorCodes.ValidationError, "limit", $"limit must be from 1 to {EntriesLimit}");
        var latest = Checkpoint.SizeOf(await CheckpointAsync(namespaceName));
        return start >= latest ? [] : await log.EntriesAsync(namespaceName, start, limit, latest);
    }

    void Require(string namespaceName)
    {
        if (!settings.Enabled) throw new TransparencyLogException(ErrorCodes.LogDisabled, null, "the transparency log is turned off (LOG_ENABLED=false)");
        if (!NamespaceName.IsValid(namespaceName)) throw new TransparencyLogException(ErrorCodes.InvalidNamespace, "namespace", NamespaceName.Rule);
    }
}
