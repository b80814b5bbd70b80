using System.Text.Json.Serialization;

namespace OmniBridge.Cli.Service;

/// <summary>The REST API's JSON as the client reads and writes it, generated at build time: snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RecordView))]
[JsonSerializable(typeof(List<BatchResultView>))]
[JsonSerializable(typeof(InclusionView))]
[JsonSerializable(typeof(ConsistencyView))]
[JsonSerializable(typeof(StampTextRequest))]
sealed partial class ServiceJson : JsonSerializerContext;
