namespace OmniBridge.Grains.Interfaces.Reducers;

/// <summary>
/// The names that tie stamp-created events to their consumers. The silo binds the provider name to
/// a stream provider (in memory, or Kafka); the names never change, since stream ids and
/// checkpoints are keyed by them.
/// </summary>
public static class StampStreams
{
    /// <summary>The stream provider every event stream of the service uses.</summary>
    public const string Provider = "omnibridge";

    /// <summary>Stream namespace of stamp-created events; the stream key is the stamp namespace.</summary>
    public const string StampCreated = "stamp-created";
}
