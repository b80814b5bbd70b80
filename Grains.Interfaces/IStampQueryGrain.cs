using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces;

/// <summary>Reads stamp records. Stateless: call it with key 0.</summary>
public interface IStampQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The namespace's record for a file hash, or null.</summary>
    Task<StampRecord?> FindAsync(string namespaceName, string fileHash);

    /// <summary>The namespace's records newest first, <paramref name="limit"/> at a time, starting after <paramref name="after"/>.</summary>
    Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after);
}
