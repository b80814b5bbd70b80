namespace OmniBridge.Grains.Events;

/// <summary>How events are made (docs/protocol.md, "Events"): what every envelope says about its source, and the key that signs it.</summary>
public sealed class EventOptions
{
    /// <summary>The topic prefix (ENVIRONMENT: dev, staging, prod).</summary>
    public string Environment { get; set; } = "dev";

    /// <summary>This silo, as envelopes name it.</summary>
    public string SourceInstance { get; set; } = System.Environment.MachineName;

    public string SourceVersion { get; set; } = typeof(EventOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>HMAC-SHA256 key for security_context.hmac_signature; null: envelopes are not signed.</summary>
    public byte[]? SigningKey { get; set; }
}
