using System.Collections.Concurrent;
using OmniBridge.Cli.Hashing;
using OmniBridge.Cli.Manifests;
using OmniBridge.Cli.Output;
using OmniBridge.Cli.Service;
using OmniBridge.Cli.Stamping;
using OmniBridge.Cli.Transparency;
using OmniBridge.Cli.Trees;

namespace OmniBridge.Cli.Verifying;

/// <summary>
/// One run of <c>omnibridge verify</c> (docs/cli.md, "verify"): every file hashed again and
/// compared with the manifest, embedded stamps checked, the proofs file checked against the
/// manifest's checkpoint, and (unless offline) every record and its proof checked against the
/// service's latest checkpoint, which must be signed by the log key and extend the manifest's.
/// </summary>
public sealed class TreeVerification(ServiceClient? client, Terminal terminal, VerifySettings settings)
{
    /// <summary>Text files up to this size are read for embedded stamps (64 MiB).</summary>
    const long StampCheckUpTo = 64L << 20;

    readonly ConcurrentDictionary<string, FileFinding> findings = new(StringComparer.Ordinal);

    public async Task<VerifyReport> RunAsync(CancellationToken cancellationToken)
    {
        var manifest = ManifestFiles.ReadManifest(settings.ManifestPath) ?? throw new InvalidDataException($"no manifest at {settings.ManifestPath}");
        var baseFolder = Path.GetDirectoryName(settings.ManifestPath)!;
        var proofsPath = Commands.CommandOptions.ProofsPath(settings.ManifestPath);
        var files = FileTree.Walk(settings.Roots, baseFolder, [settings.ManifestPath, proofsPath]);

        await CheckFilesAsync(manifest, files, cancellationToken);

        var key = settings.LogKey ?? manifest.LogKey ?? (client is null ? null : await client.KeyAsync(manifest.Namespace, cancellationToken));
        var checkpoint = new CheckpointFinding();
        Checkpoint? recorded = null;
        if (manifest.Checkpoint is { } note)
        {
            if (key is null) checkpoint.Fail("no log key to check the manifest's checkpoint with: give --log-key");
            else
            {
                (recorded, var problem) = LogAudit.Verify(note, key, manifest.Namespace);
                if (problem is not null) checkpoint.Fail("the manifest's checkpoint: " + problem);
                checkpoint.Size = recorded?.Size;
            }
        }
        CheckProofsFile(manifest, ManifestFiles.ReadProofs(proofsPath), recorded);
        if (client is not null && key is not null) await CheckServiceAsync(client, manifest, key, recorded, checkpoint, cancellationToken);
        if (recorded is not null && checkpoint.Problem is null) checkpoint.Consistent ??= true;

        // Trusted on first use: the key the server gave is remembered, so a later change of key shows.
        if (client is not null && settings.LogKey is null && manifest.LogKey is null && key is not null)
            ManifestFiles.WriteAtomically(settings.ManifestPath, ManifestFiles.Serialize(manifest with { LogKey = key }));

        return new VerifyReport(
            [.. findings.Values.OrderBy(f => f.Path, StringComparer.Ordinal)],
            checkpoint.Size,
            checkpoint.Consistent,
            checkpoint.Problem);
    }

    void Note(string path, FileStatus status, string? detail = null) =>
        findings.AddOrUpdate(path, new FileFinding(path, status, detail), (_, old) => status < old.Status ? new FileFinding(path, status, detail) : old);

    /// <summary>Every file hashed again: modified, missing, added, and stamps that no longer bind their text.</summary>
    async Task CheckFilesAsync(Manifest manifest, IReadOnlyList<TreeFile> files, CancellationToken cancellationToken)
    {
        var expected = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var present = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in manifest.Files.Where(f => !present.Contains(f.Path))) Note(entry.Path, FileStatus.Missing, "in the manifest, not on disk");

        await terminal.WithProgressAsync("hashing", files.Sum(f => f.Size) + files.Count, advance =>
        {
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, file =>
            {
                var (blake3, size, stamps) = HashAndCheckStamps(file);
                var change = !expected.TryGetValue(file.Path, out var entry) ? "on disk, not in the manifest"
                    : entry.Blake3 == blake3 && entry.Size == size ? null
                    : entry.Size == size ? "other bytes than in the manifest"
                    : $"{entry.Size} bytes in the manifest, {size} on disk";
                if (stamps is not null) Note(file.Path, FileStatus.InvalidStamp, change is null ? stamps : $"{change}; {stamps}");
                else if (entry is null) Note(file.Path, FileStatus.Added, change);
                else Note(file.Path, change is null ? FileStatus.Ok : FileStatus.Modified, change);
                advance(size + 1);
            });
            return Task.FromResult(0);
        });
    }

    /// <summary>The file's hash and size, and what is wrong with its embedded stamps (null when nothing is, or it has none).</summary>
    static (string Blake3, long Size, string? Stamps) HashAndCheckStamps(TreeFile file)
    {
        if (file.Size > StampCheckUpTo)
        {
            var (hash, size) = FileHasher.Blake3Of(file.FullPath);
            return (hash, size, null);
        }
        var bytes = FileHasher.ReadSmall(file.FullPath, file.Size);
        string? stamps = null;
        if (TextFiles.TryRead(bytes) is { } text && EmbeddedStamps.MayCarryStamps(text) && EmbeddedStamps.Check(text) is { Invalid: > 0 } check)
            stamps = $"{check.Invalid} of its {check.Found} stamps do not match its content";
        return (FileHasher.Blake3Of(bytes), bytes.Length, stamps);
    }

    /// <summary>The proofs file, offline: each file's proof leads its record to the manifest's checkpoint.</summary>
    void CheckProofsFile(Manifest manifest, ProofsFile? proofs, Checkpoint? recorded)
    {
        if (proofs is null)
        {
            if (client is null) Terminal.Error("no proofs file beside the manifest: the files were checked, their records were not");
            return;
        }
        var byPath = proofs.Files.GroupBy(p => p.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var entry in manifest.Files)
        {
            if (!byPath.TryGetValue(entry.Path, out var proof))
            {
                if (entry.LogIndex is not null) Note(entry.Path, FileStatus.ProofFailed, "no proof in the proofs file");
                continue;
            }
            var problem = proofs.Checkpoint != manifest.Checkpoint || proofs.Namespace != manifest.Namespace
                ? "the proofs file is for another checkpoint than the manifest's"
                : recorded is null ? "the manifest's checkpoint cannot be trusted"
                : LogAudit.InclusionProblem(proof, recorded, entry, manifest.Namespace);
            if (problem is not null) Note(entry.Path, FileStatus.ProofFailed, problem);
        }
    }

    /// <summary>Online: the latest checkpoint signed and consistent with the manifest's, and every record there, with its proof for that tree.</summary>
    async Task CheckServiceAsync(ServiceClient service, Manifest manifest, string key, Checkpoint? recorded, CheckpointFinding checkpoint, CancellationToken cancellationToken)
    {
        Checkpoint? latest = null;
        if (await service.CheckpointAsync(manifest.Namespace, cancellationToken) is { } note)
        {
            (latest, var problem) = LogAudit.Verify(note, key, manifest.Namespace);
            if (problem is not null) checkpoint.Fail("the service's checkpoint: " + problem);
            else
            {
                checkpoint.Size = latest!.Size;
                if (recorded is not null && await LogAudit.ConsistencyProblemAsync(service, manifest.Namespace, recorded, latest, cancellationToken) is { } why)
                    checkpoint.Fail(why);
                else if (checkpoint.Problem is null) checkpoint.Consistent = true;
            }
        }

        var byHash = manifest.Files.GroupBy(f => f.Blake3, StringComparer.Ordinal).ToList();
        await terminal.WithProgressAsync("checking records", byHash.Count, async advance =>
        {
            await Parallel.ForEachAsync(byHash, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (group, ct) =>
            {
                var record = await service.FindAsync(manifest.Namespace, group.Key, ct);
                var proof = record is null || latest is null ? null : await service.InclusionAsync(manifest.Namespace, group.Key, latest.Size, ct);
                foreach (var entry in group)
                {
                    if (record is null) Note(entry.Path, FileStatus.NotRegistered, "the service has no record of these bytes");
                    else if (Differences(record, entry) is { } differences) Note(entry.Path, FileStatus.NotRegistered, "the service's record differs: " + differences);
                    else if (latest is null) continue;
                    else if (proof is null)
                    {
                        if (entry.LogIndex is { } index && index < latest.Size)
                            Note(entry.Path, FileStatus.ProofFailed, $"leaf {index} is not this record in the log's tree of {latest.Size}");
                    }
                    else if (LogAudit.InclusionProblem(LogAudit.ForFile(entry.Path, proof), latest, entry, manifest.Namespace) is { } why)
                        Note(entry.Path, FileStatus.ProofFailed, why);
                }
                advance(1);
            });
            return 0;
        });
    }

    static string? Differences(RecordView record, ManifestFile entry)
    {
        var differ = new List<string>();
        if (record.StampId != entry.StampId) differ.Add("stamp_id");
        if (record.Sha256 != entry.Sha256) differ.Add("sha256");
        if (record.FileSize != entry.Size) differ.Add("size");
        if (record.LogIndex is { } index && entry.LogIndex is { } expected && index != expected) differ.Add("log_index");
        return differ.Count == 0 ? null : string.Join(", ", differ);
    }

    /// <summary>What became of the checkpoints: the size checked, whether the log is consistent with the manifest, and the first problem.</summary>
    sealed class CheckpointFinding
    {
        public long? Size { get; set; }
        public bool? Consistent { get; set; }
        public string? Problem { get; private set; }

        public void Fail(string problem)
        {
            Problem ??= problem;
            Consistent = false;
        }
    }
}
