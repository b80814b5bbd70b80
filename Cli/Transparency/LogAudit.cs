using OmniBridge.Cli.Manifests;
using OmniBridge.Cli.Service;

namespace OmniBridge.Cli.Transparency;

/// <summary>
/// The checks a client makes of the log (docs/transparency.md, "What the log proves"): a
/// checkpoint is signed by the verifier key, a later one extends an earlier one, and a proof leads
/// from a leaf naming exactly the manifest's record to a checkpoint's root. Each check answers
/// null when it holds, or why not.
/// </summary>
public static class LogAudit
{
    /// <summary>The checkpoint, when <paramref name="text"/> is one signed by <paramref name="verifierKey"/>.</summary>
    public static (Checkpoint? Checkpoint, string? Problem) Verify(string text, string verifierKey, string namespaceName)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(text);
        }
        catch (FormatException e)
        {
            return (null, "not a checkpoint: " + e.Message);
        }
        if (!checkpoint.Origin.EndsWith("/" + namespaceName, StringComparison.Ordinal)) return (null, $"the checkpoint is of another log ({checkpoint.Origin})");
        return checkpoint.SignedBy(verifierKey) ? (checkpoint, null) : (null, "the checkpoint's signature does not verify with the log key");
    }

    /// <summary>Whether <paramref name="current"/> extends <paramref name="earlier"/>, asking the service for the consistency proof.</summary>
    public static async Task<string?> ConsistencyProblemAsync(ServiceClient client, string namespaceName, Checkpoint earlier, Checkpoint current, CancellationToken cancellationToken)
    {
        if (earlier.Origin != current.Origin) return $"the checkpoints are of two logs ({earlier.Origin}, {current.Origin})";
        if (earlier.Size > current.Size) return $"the log shrank from {earlier.Size} to {current.Size} leaves";
        if (earlier.Size == current.Size)
            return earlier.Root.AsSpan().SequenceEqual(current.Root) ? null : $"two different trees of {current.Size} leaves";
        if (earlier.Size == 0) return null;
        var proof = await client.ConsistencyAsync(namespaceName, earlier.Size, current.Size, cancellationToken);
        return MerkleProofs.VerifyConsistency(earlier.Size, current.Size, earlier.Root, current.Root, Decode(proof.Hashes))
            ? null
            : $"the tree of {current.Size} leaves does not extend the manifest's tree of {earlier.Size}";
    }

    /// <summary>Whether the proof puts the manifest's record for <paramref name="file"/> into <paramref name="checkpoint"/>'s tree.</summary>
    public static string? InclusionProblem(FileProof proof, Checkpoint checkpoint, ManifestFile file, string namespaceName)
    {
        if (proof.TreeSize != checkpoint.Size) return $"the proof is for a tree of {proof.TreeSize} leaves, the checkpoint has {checkpoint.Size}";
        if (file.LogIndex is { } index && index != proof.LeafIndex) return $"the proof is for leaf {proof.LeafIndex}, the manifest says {index}";
        byte[] leaf;
        try
        {
            leaf = Convert.FromBase64String(proof.Leaf);
        }
        catch (FormatException)
        {
            return "the proof's leaf is not base64";
        }
        if (Leaf.TryParse(leaf) is not { } read) return "the proof's leaf is not a leaf";
        if (read.Namespace != namespaceName || read.Blake3 != file.Blake3 || read.Sha256 != file.Sha256 || read.Size != file.Size || read.StampId != file.StampId)
            return "the leaf names another record than the manifest";
        List<byte[]> path;
        try
        {
            path = Decode(proof.Hashes);
        }
        catch (FormatException)
        {
            return "the proof's hashes are not base64";
        }
        return MerkleProofs.VerifyInclusion(proof.LeafIndex, proof.TreeSize, MerkleProofs.LeafHash(leaf), path, checkpoint.Root)
            ? null
            : $"the audit path does not lead to the root of the tree of {checkpoint.Size} leaves";
    }

    /// <summary>A proof as the service gave it, for the proofs file.</summary>
    public static FileProof ForFile(string path, InclusionView proof) => new()
    {
        Path = path,
        LeafIndex = proof.LeafIndex,
        TreeSize = proof.TreeSize,
        Leaf = proof.Leaf,
        Hashes = proof.Hashes,
    };

    static List<byte[]> Decode(IEnumerable<string> hashes) => [.. hashes.Select(Convert.FromBase64String)];
}
