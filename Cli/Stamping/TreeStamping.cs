using System.Globalization;
using OmniBridge.Cli.Commands;
using OmniBridge.Cli.Hashing;
using OmniBridge.Cli.Manifests;
using OmniBridge.Cli.Output;
using OmniBridge.Cli.Service;
using OmniBridge.Cli.Transparency;
using OmniBridge.Cli.Trees;
using Spectre.Console;

namespace OmniBridge.Cli.Stamping;

/// <summary>
/// One run of <c>omnibridge stamp</c> (docs/cli.md, "stamp"): hashes every file locally, registers
/// as bytes only those the manifest does not already hold with the same hash (small ones through
/// /batch in chunks, large ones streamed to POST /stamp, a few requests at a time), and writes the
/// manifest, and with <c>--with-proofs</c> the proofs file, atomically. A run on an unchanged tree
/// sends nothing and writes nothing.
/// </summary>
public sealed class TreeStamping(ServiceClient client, Terminal terminal, StampSettings settings)
{
    /// <summary>Requests in flight at once.</summary>
    public const int Parallelism = 4;

    /// <summary>Files larger than this are streamed to POST /stamp instead of going into a batch (8 MiB).</summary>
    public const long StreamFrom = 8L << 20;

    /// <summary>A batch holds at most this many items, or this many bytes of content (before base64).</summary>
    const int BatchItems = 1000;
    const long BatchBytes = 8L << 20;

    readonly string baseFolder = Path.GetDirectoryName(settings.ManifestPath)!;
    readonly string proofsPath = CommandOptions.ProofsPath(settings.ManifestPath);
    int registered, created;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var previous = ManifestFiles.ReadManifest(settings.ManifestPath);
        // A manifest of another namespace or server says nothing about this one's records.
        if (previous is not null && (previous.Namespace != settings.Namespace || !CommandOptions.SameServer(previous.Server, settings.Server))) previous = null;
        var known = previous?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];

        var files = FileTree.Walk(settings.Roots, baseFolder, [settings.ManifestPath, proofsPath]);
        if (settings.InPlace)
        {
            await StampTextInPlaceAsync(files, known, cancellationToken);
            files = FileTree.Walk(settings.Roots, baseFolder, [settings.ManifestPath, proofsPath]);   // sizes changed where stamps went in
        }

        var entries = await terminal.WithProgressAsync("hashing and registering", files.Sum(f => f.Size) + files.Count,
            advance => RegisterAsync(files, known, advance, cancellationToken));

        var unchanged = previous is not null && registered == 0 && entries.Count == previous.Files.Count;
        var previousProofs = settings.WithProofs ? ManifestFiles.ReadProofs(proofsPath) : null;
        var proofsComplete = previousProofs is not null && previous?.Checkpoint == previousProofs.Checkpoint
            && entries.All(e => e.LogIndex is not null && previousProofs.Files.Any(p => p.Path == e.Path));
        if (unchanged && (!settings.WithProofs || proofsComplete))
        {
            terminal.Output.WriteLine($"{entries.Count} files unchanged since the manifest; nothing sent, nothing written");
            return ExitCodes.Ok;
        }

        var manifest = new Manifest
        {
            Namespace = settings.Namespace,
            Server = settings.Server,
            CreatedAt = Now(),
            LogKey = previous?.LogKey,
            Files = entries,
        };
        var (logged, proofs, problem) = settings.WithProofs
            ? await ProveAsync(manifest, previous, cancellationToken)
            : await CheckpointAsync(manifest, previous, cancellationToken);
        if (problem is not null)
        {
            Terminal.Error(problem);
            return ExitCodes.Mismatch;
        }

        // The proofs first: a manifest never names a checkpoint its proofs file does not match. Without
        // new proofs, old ones would speak of records the manifest no longer names.
        if (proofs is not null) ManifestFiles.WriteAtomically(proofsPath, ManifestFiles.Serialize(proofs));
        else if (File.Exists(proofsPath))
        {
            File.Delete(proofsPath);
            Terminal.Error($"removed {proofsPath}: its proofs were of the previous manifest (stamp --with-proofs writes new ones)");
        }
        ManifestFiles.WriteAtomically(settings.ManifestPath, ManifestFiles.Serialize(logged));
        terminal.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{entries.Count} files in {settings.Namespace}: {registered} registered ({created} new records), {entries.Count - registered} unchanged; "
            + $"manifest {settings.ManifestPath}{(proofs is null ? "" : ", proofs " + proofsPath)}"));
        return ExitCodes.Ok;
    }

    /// <summary>Writes a stamp into each text file whose bytes the manifest does not already hold (stamped text keeps its valid stamp).</summary>
    async Task StampTextInPlaceAsync(IReadOnlyList<TreeFile> files, Dictionary<string, ManifestFile> known, CancellationToken cancellationToken)
    {
        var candidates = files.Where(f => f.Size is > 0 and <= StreamFrom).ToList();
        await terminal.WithProgressAsync("stamping text in place", candidates.Count, async advance =>
        {
            await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (file, ct) =>
            {
                var bytes = await File.ReadAllBytesAsync(file.FullPath, ct);
                if (TextFiles.TryRead(bytes) is { } text
                    && !(known.TryGetValue(file.Path, out var entry) && entry.Blake3 == FileHasher.Blake3Of(bytes)))
                {
                    var record = await client.StampTextAsync(settings.Namespace, text, FilePathFor(file.Path), ct);
                    if (record.StampedContent is { } stamped && stamped != text) ManifestFiles.WriteAtomically(file.FullPath, TextFiles.Encode(stamped));
                }
                advance(1);
            });
            return 0;
        });
    }

    /// <summary>Hashes every file and registers those the manifest does not hold; the manifest's entries in path order.</summary>
    async Task<IReadOnlyList<ManifestFile>> RegisterAsync(IReadOnlyList<TreeFile> files, Dictionary<string, ManifestFile> known, Action<long> advance,
        CancellationToken cancellationToken)
    {
        var entries = new ManifestFile[files.Count];
        var sending = new List<Task>();
        using var slots = new SemaphoreSlim(Parallelism);
        var batch = new List<(int Index, byte[] Bytes, FileDigest Digest)>();
        long batchBytes = 0;

        async Task SendAsync(Func<Task> send)
        {
            await slots.WaitAsync(cancellationToken);
            sending.Add(Task.Run(async () =>
            {
                try
                {
                    await send();
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var items = batch;
            batch = [];
            batchBytes = 0;
            await SendAsync(() => SendBatchAsync(files, items, entries, cancellationToken));
        }

        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (file.Size <= StreamFrom)
            {
                // Small files are read synchronously: for thousands of them the asynchronous path's hand-offs cost more than the reads.
                var bytes = FileHasher.ReadSmall(file.FullPath, file.Size);
                var digest = FileHasher.DigestOf(bytes);
                advance(bytes.Length + 1);
                if (Unchanged(known, file.Path, digest) is { } same) entries[i] = same;
                else if (bytes.LongLength > StreamFrom) await SendStreamAsync(i);   // it grew since the walk
                else
                {
                    batch.Add((i, bytes, digest));
                    batchBytes += bytes.Length;
                    if (batch.Count >= BatchItems || batchBytes >= BatchBytes) await FlushAsync();
                }
            }
            else
            {
                var digest = await Task.Run(() => FileHasher.DigestOf(file.FullPath), cancellationToken);
                advance(file.Size + 1);
                if (Unchanged(known, file.Path, digest) is { } same) entries[i] = same;
                else await SendStreamAsync(i, digest);
            }
        }
        await FlushAsync();
        await Task.WhenAll(sending);
        return entries;

        Task SendStreamAsync(int index, FileDigest? digest = null) => SendAsync(async () =>
        {
            var file = files[index];
            var hashed = digest ?? await Task.Run(() => FileHasher.DigestOf(file.FullPath), cancellationToken);
            var record = await client.StampStreamAsync(settings.Namespace, file.FullPath, FilePathFor(file.Path), cancellationToken);
            Check(file.Path, hashed, record.FileHash, record.FileSize);
            entries[index] = Entry(file.Path, hashed, record.StampId, record.Created);
        });
    }

    async Task SendBatchAsync(IReadOnlyList<TreeFile> files, List<(int Index, byte[] Bytes, FileDigest Digest)> items, ManifestFile[] entries,
        CancellationToken cancellationToken)
    {
        var uploads = items.ConvertAll(item => new BatchUpload(item.Index.ToString(CultureInfo.InvariantCulture), item.Bytes, FilePathFor(files[item.Index].Path)));
        var results = await client.BatchAsync(settings.Namespace, uploads, cancellationToken);
        for (var k = 0; k < items.Count; k++)
        {
            var (index, _, digest) = items[k];
            var result = results[k];
            if (!result.Success || result.StampId is not { } stampId)
                throw new ServiceException($"{B3sumNames.Display(files[index].Path)}: {result.Error?.Code}: {result.Error?.Message}", code: result.Error?.Code);
            Check(files[index].Path, digest, result.FileHash, digest.Size);
            entries[index] = Entry(files[index].Path, digest, stampId, result.Created == true);
        }
    }

    ManifestFile Entry(string path, FileDigest digest, Guid stampId, bool createdNow)
    {
        Interlocked.Increment(ref registered);
        if (createdNow) Interlocked.Increment(ref created);
        return new ManifestFile { Path = path, Size = digest.Size, Blake3 = digest.Blake3, Sha256 = digest.Sha256, StampId = stampId };
    }

    /// <summary>The time to the millisecond, as the service writes its own.</summary>
    static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>The service hashed what was sent; a different hash means the file changed while it was being stamped.</summary>
    static void Check(string path, FileDigest digest, string? serviceHash, long serviceSize)
    {
        if (serviceHash != digest.Blake3 || serviceSize != digest.Size)
            throw new IOException($"{B3sumNames.Display(path)} changed while it was being stamped; run the command again");
    }

    static ManifestFile? Unchanged(Dictionary<string, ManifestFile> known, string path, FileDigest digest) =>
        known.TryGetValue(path, out var entry) && entry.Blake3 == digest.Blake3 && entry.Sha256 == digest.Sha256 && entry.Size == digest.Size ? entry : null;

    /// <summary>The longest file_path the service takes (SPEC §4: 1,024 characters).</summary>
    const int FilePathLimit = 1024;

    /// <summary>The record's file_path: the manifest path, unless the service could not take it (a line break in a name); the manifest keeps the name either way.</summary>
    static string? FilePathFor(string path) =>
        path.Length > FilePathLimit || path.Any(char.IsControl) || path.Contains("<!--", StringComparison.Ordinal) || path.Contains("-->", StringComparison.Ordinal) ? null : path;

    /// <summary>Without <c>--with-proofs</c>: the latest checkpoint as it is, checked against the key and the previous manifest's checkpoint.</summary>
    async Task<(Manifest, ProofsFile?, string?)> CheckpointAsync(Manifest manifest, Manifest? previous, CancellationToken cancellationToken)
    {
        var key = manifest.LogKey ?? await client.KeyAsync(settings.Namespace, cancellationToken);
        if (key is null || await client.CheckpointAsync(settings.Namespace, cancellationToken) is not { } note) return (manifest, null, null);   // the log is off
        var (checkpoint, problem) = LogAudit.Verify(note, key, settings.Namespace);
        problem ??= await ExtendsPreviousAsync(checkpoint!, previous, key, cancellationToken);
        return (manifest with { Checkpoint = note, LogKey = key }, null, problem);
    }

    /// <summary>
    /// With <c>--with-proofs</c>: waits (bounded) until the log holds every record, settles on one
    /// checkpoint that covers them all, and fetches each record's proof for that checkpoint's tree.
    /// </summary>
    async Task<(Manifest, ProofsFile?, string?)> ProveAsync(Manifest manifest, Manifest? previous, CancellationToken cancellationToken)
    {
        var key = manifest.LogKey ?? await client.KeyAsync(settings.Namespace, cancellationToken)
            ?? throw new ServiceException("--with-proofs: the service's transparency log is turned off");
        var hashes = manifest.Files.Select(f => f.Blake3).Distinct(StringComparer.Ordinal).ToList();
        var proofs = new Dictionary<string, InclusionView>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + settings.ProofWait;

        await terminal.WithProgressAsync("waiting for the log", hashes.Count, async advance =>
        {
            var waiting = hashes;
            for (var round = 0; waiting.Count > 0; round++)
            {
                if (round > 0)
                {
                    if (DateTime.UtcNow > deadline) throw new ServiceException($"the log did not take in {waiting.Count} records within {settings.ProofWait.TotalSeconds:0} s");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * (1 << Math.Min(round, 4)), 2000)), cancellationToken);
                }
                var found = await FetchProofsAsync(waiting, null, cancellationToken);
                foreach (var (hash, proof) in found)
                {
                    proofs[hash] = proof;
                    advance(1);
                }
                waiting = [.. waiting.Where(h => !proofs.ContainsKey(h))];
            }
            return 0;
        });

        // One checkpoint for every proof: the newest any answer carried, once it covers every leaf.
        var note = proofs.Count == 0
            ? await client.CheckpointAsync(settings.Namespace, cancellationToken) ?? throw new ServiceException("the log is turned off")
            : proofs.Values.MaxBy(p => p.TreeSize)!.Checkpoint;
        var (checkpoint, problem) = LogAudit.Verify(note, key, settings.Namespace);
        if (problem is not null) return (manifest, null, problem);
        while (proofs.Values.Any(p => p.LeafIndex >= checkpoint!.Size))
        {
            if (DateTime.UtcNow > deadline) throw new ServiceException("no checkpoint of the log covers every record yet");
            await Task.Delay(500, cancellationToken);
            note = await client.CheckpointAsync(settings.Namespace, cancellationToken) ?? throw new ServiceException("the log is turned off");
            (checkpoint, problem) = LogAudit.Verify(note, key, settings.Namespace);
            if (problem is not null) return (manifest, null, problem);
        }
        var stale = proofs.Where(p => p.Value.TreeSize != checkpoint!.Size).Select(p => p.Key).ToList();
        foreach (var (hash, proof) in await FetchProofsAsync(stale, checkpoint!.Size, cancellationToken)) proofs[hash] = proof;

        var files = manifest.Files.Select(f => f with { LogIndex = proofs[f.Blake3].LeafIndex }).ToList();
        var fileProofs = files.Select(f => LogAudit.ForFile(f.Path, proofs[f.Blake3])).ToList();
        problem = files.Zip(fileProofs).Select(p => LogAudit.InclusionProblem(p.Second, checkpoint, p.First, settings.Namespace) is { } why
            ? $"{B3sumNames.Display(p.First.Path)}: the service's proof fails: {why}" : null).FirstOrDefault(p => p is not null);
        problem ??= await ExtendsPreviousAsync(checkpoint, previous, key, cancellationToken);
        return (manifest with { Files = files, Checkpoint = note, LogKey = key },
            new ProofsFile { Namespace = settings.Namespace, Checkpoint = note, Files = fileProofs }, problem);
    }

    /// <summary>The proofs the service has for these records (a record not in the tree yet is left out).</summary>
    async Task<IReadOnlyList<(string Hash, InclusionView Proof)>> FetchProofsAsync(IReadOnlyList<string> hashes, long? treeSize, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<(string, InclusionView)>();
        await Parallel.ForEachAsync(hashes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (hash, ct) =>
        {
            if (await client.InclusionAsync(settings.Namespace, hash, treeSize, ct) is { } proof) found.Add((hash, proof));
        });
        return [.. found];
    }

    /// <summary>A new checkpoint must extend the one the previous manifest recorded (checked with the key that signed that one).</summary>
    async Task<string?> ExtendsPreviousAsync(Checkpoint current, Manifest? previous, string key, CancellationToken cancellationToken)
    {
        if (previous?.Checkpoint is not { } earlierNote) return null;
        var (earlier, problem) = LogAudit.Verify(earlierNote, previous.LogKey ?? key, settings.Namespace);
        if (problem is not null) return "the previous manifest's checkpoint: " + problem;
        return await LogAudit.ConsistencyProblemAsync(client, settings.Namespace, earlier!, current, cancellationToken) is { } why
            ? "the log is not consistent with the previous manifest's checkpoint: " + why
            : null;
    }
}
