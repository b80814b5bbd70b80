namespace OmniBridge.Grains.Transparency;

/// <summary>
/// The silo's checkpoint key: LOG_SIGNING_KEY, or one made at start when none is configured
/// (ephemeral: its checkpoints cannot be verified once the silo restarts with another).
/// </summary>
public sealed class LogSigner(NoteKey key, bool ephemeral, string? origin) : IDisposable
{
    /// <summary>The name of a key made at start, and so the default origin.</summary>
    public const string DefaultName = "omnibridge.local";

    public NoteKey Key { get; } = key;

    public bool Ephemeral { get; } = ephemeral;

    /// <summary>LOG_ORIGIN, or the key's name.</summary>
    public string Origin { get; } = origin ?? key.Name;

    /// <summary>A checkpoint of a namespace's tree: origin <c>{LOG_ORIGIN}/{namespace}</c>.</summary>
    public string Sign(string namespaceName, long size, ReadOnlySpan<byte> root) => Checkpoint.Sign(Key, $"{Origin}/{namespaceName}", size, root);

    public void Dispose() => Key.Dispose();
}
