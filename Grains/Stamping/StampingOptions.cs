namespace OmniBridge.Grains.Stamping;

/// <summary>The versions written into every record (docs/architecture.md, "Configuration": METADATA_VERSION, PROTOCOL_VERSION).</summary>
public sealed class StampingOptions
{
    public string MetadataVersion { get; set; } = "0.1";
    public string ProtocolVersion { get; set; } = ProtocolCompliance.ProtocolVersion;
}
