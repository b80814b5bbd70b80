using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniBridge.Cli.Manifests;

/// <summary>
/// The manifest's and the proofs file's JSON, generated at build time (no reflection when the tool
/// starts, and nothing left for the native build to guess): snake_case, indented by two, every
/// field written, non-ASCII names kept as they are.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    IndentSize = 2,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ProofsFile))]
sealed partial class ManifestJson : JsonSerializerContext
{
    /// <summary>
    /// The context the tool uses: the options above, with an encoder that leaves text unescaped (made on first use:
    /// the generated <see cref="Default"/> is set by a static initialiser in the other part of this class).
    /// </summary>
    public static ManifestJson Files => files ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    static ManifestJson? files;
}
