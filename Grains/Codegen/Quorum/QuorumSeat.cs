using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>One model of the AI quorum: its id in results, its weight in the consensus, and the client that asks it.</summary>
/// <param name="Timeout">How long one call to it may take; its client enforces it, this is what the results say.</param>
public sealed record class QuorumSeat(string Id, double Weight, ILanguageModel Model, TimeSpan Timeout);
