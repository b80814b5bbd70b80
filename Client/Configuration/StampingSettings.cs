using Microsoft.Extensions.Configuration;

namespace OmniBridge.Client.Configuration;

/// <summary>
/// The versions every stamp is written with (PROTOCOL_VERSION, METADATA_VERSION), read once here
/// for the grains that write stamps and the API that reports the protocol in every response.
/// </summary>
public sealed record class StampingSettings
{
    public string ProtocolVersion { get; init; } = "1.0";
    public string MetadataVersion { get; init; } = "0.1";

    public static StampingSettings From(IConfiguration config)
    {
        var defaults = new StampingSettings();
        return new StampingSettings
        {
            // The service speaks exactly one protocol; another value would write stamps it cannot validate.
            ProtocolVersion = Setting.Checked(config, "PROTOCOL_VERSION", defaults.ProtocolVersion, v => v == "1.0", "this service writes O.N.E. protocol version 1.0 only"),
            MetadataVersion = Setting.Checked(config, "METADATA_VERSION", defaults.MetadataVersion, v => v == "0.1", "this service writes metadata version 0.1 only"),
        };
    }
}
