using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Computes and records BLAKE3 stamps. Stateless: any silo may run any number of activations, so
/// stamping has no per-namespace bottleneck. Call it with key 0.
/// </summary>
public interface IStampWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stamps content: creates the namespace's record for its hash, or returns the existing one
    /// (docs/protocol.md, "Records and idempotency"), and writes a stamp of the requested form into text content.
    /// </summary>
    /// <exception cref="StampCommandException">The command is malformed; nothing was stored.</exception>
    Task<StampOutcome> StampAsync(StampCommand command);

    /// <summary>
    /// Stamps every item and stores the new records in one round trip; one outcome per item, in
    /// order. A malformed item is refused on its own and the others are stamped.
    /// </summary>
    Task<IReadOnlyList<BatchItemOutcome>> StampBatchAsync(BatchStampCommand command);

    /// <summary>Judges the stamps carried by text content. Never consults stored records (docs/protocol.md, "Validation").</summary>
    Task<ValidationReport> ValidateAsync(ValidationCommand command);

    /// <summary>Checks content against the O.N.E. v0.1 stamp protocol.</summary>
    Task<ProtocolValidationReport> ValidateProtocolAsync(ProtocolValidationCommand command);
}
