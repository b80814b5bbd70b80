using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Reads stamp records from the store. A stateless worker: reads scale with the silos, and each
/// activation interleaves its calls (it keeps no state), so lookups wait on the database side by side.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class StampQueryGrain(IStampStore stamps) : Grain, IStampQueryGrain
{
    public Task<StampRecord?> FindAsync(string namespaceName, string fileHash)
    {
        RequireNamespace(namespaceName);
        if (!FileHash.IsValid(fileHash))
            throw new StampCommandException(ErrorCodes.InvalidHashFormat, "file_hash", FileHash.Rule);
        return stamps.FindAsync(namespaceName, fileHash);
    }

    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after)
    {
        RequireNamespace(namespaceName);
        if (limit is < 1 or > Limits.PageSize)
            throw new StampCommandException(ErrorCodes.ValidationError, "limit", $"limit must be between 1 and {Limits.PageSize}");
        return stamps.ListAsync(namespaceName, limit, after);
    }

    static void RequireNamespace(string namespaceName)
    {
        if (!NamespaceName.IsValid(namespaceName))
            throw new StampCommandException(ErrorCodes.InvalidNamespace, "namespace", NamespaceName.Rule);
    }
}
