namespace OmniBridge.Grains.Transparency;

/// <summary>
/// A stored hash of a log: the root of the perfect subtree of 2^<see cref="Level"/> leaves starting at
/// leaf <see cref="Index"/> × 2^<see cref="Level"/>. Level 0 holds the leaf hashes (docs/transparency.md, "Storage").
/// </summary>
public readonly record struct TreeNode(int Level, long Index)
{
    public long FirstLeaf => Index << Level;
    public long Width => 1L << Level;
}
