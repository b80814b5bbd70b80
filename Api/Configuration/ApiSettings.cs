using OmniBridge.Api.Security;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Configuration;

/// <summary>The REST API's settings (docs/architecture.md, "Configuration"), with the original service's environment names.</summary>
public sealed record class ApiSettings
{
    public const long MiB = 1024 * 1024;

    public int ServicePort { get; init; } = 8053;
    public string DefaultNamespace { get; init; } = "omninode.services.metadata";
    /// <summary>The versions stamps are written with; responses report the protocol.</summary>
    public StampingSettings Stamping { get; init; } = new();

    /// <summary>Largest JSON request body, a whole batch included.</summary>
    public long MaxContentBytes { get; init; } = 100 * MiB;

    /// <summary>Largest octet-stream or multipart body on /hash; those stream, so this can exceed memory.</summary>
    public long MaxHashStreamBytes { get; init; } = 1024 * MiB;

    /// <summary>The API keys (docs/protocol.md, "Security"); none: the service is open.</summary>
    public ApiKeyRing Keys { get; init; } = new([]);

    /// <summary>Reads and checks every API setting; throws on the first invalid one.</summary>
    public static ApiSettings From(IConfiguration config)
    {
        var defaults = new ApiSettings();
        return new ApiSettings
        {
            ServicePort = Setting.Port(config, "SERVICE_PORT", defaults.ServicePort),
            DefaultNamespace = Setting.Checked(config, "DEFAULT_NAMESPACE", defaults.DefaultNamespace, NamespaceName.IsValid, NamespaceName.Rule),
            Stamping = StampingSettings.From(config),
            // JSON bodies are held in memory and parsed whole, so they stay under 1 GiB.
            MaxContentBytes = Setting.WholeNumber(config, "MAX_CONTENT_BYTES", defaults.MaxContentBytes, 1024, 1024 * MiB, "bytes"),
            MaxHashStreamBytes = Setting.WholeNumber(config, "MAX_HASH_STREAM_BYTES", defaults.MaxHashStreamBytes, 1024, long.MaxValue, "bytes"),
            Keys = ApiKeyRing.From(config),
        };
    }
}
