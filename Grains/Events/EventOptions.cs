namespace OmniBridge.Grains.Events;

/// <summary>How events are made (SPEC §7): whether they go through the outbox, and what every envelope says about its source.</summary>
public sealed class EventOptions
{
    /// <summary>
    /// Events are written to the outbox with their effects, for the relay to publish to Kafka (when
    /// KAFKA_BOOTSTRAP_SERVERS is set). Otherwise stamp-created events go to the in-memory stream only.
    /// </summary>
    public bool Outbox { get; set; }

    /// <summary>The topic prefix (ENVIRONMENT: dev, staging, prod).</summary>
    public string Environment { get; set; } = "dev";

    /// <summary>This silo, as envelopes name it.</summary>
    public string SourceInstance { get; set; } = System.Environment.MachineName;

    public string SourceVersion { get; set; } = typeof(EventOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>HMAC-SHA256 key for security_context.hmac_signature; null: envelopes are not signed.</summary>
    public byte[]? SigningKey { get; set; }
}
