using System.Globalization;
using System.Text.Json;
using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>POST /api/v1/codegen/generate: requirements (docs/protocol.md, "Code generation"), a strategy and a validation level.</summary>
public sealed record class GenerateRequest
{
    public RequirementsBody? Requirements { get; init; }
    public string? Strategy { get; init; }
    public string? ValidationLevel { get; init; }

    /// <summary>Optional: your own id, so a retried POST finds the session it started instead of generating again.</summary>
    public string? SessionId { get; init; }

    /// <summary>Optional: <c>{enabled, required}</c>, the AI quorum's vote on the package (<see cref="QuorumBody"/>).</summary>
    public JsonElement? Quorum { get; init; }
}

/// <summary>Requirements as JSON gives them; <see cref="ToRequirements"/> reads them into the grains' model.</summary>
public sealed record class RequirementsBody
{
    public string? NodeType { get; init; }
    public string? ServiceName { get; init; }
    public string? Domain { get; init; }
    public string? BusinessDescription { get; init; }
    public List<string>? Operations { get; init; }
    public List<string>? Features { get; init; }
    public Dictionary<string, JsonElement>? Dependencies { get; init; }
    public Dictionary<string, JsonElement>? PerformanceRequirements { get; init; }
    /// <summary>Each <c>{name, fields}</c>, fields either <c>{"field": "type"}</c> or <c>[{"name", "type"}]</c>.</summary>
    public List<JsonElement>? DataModels { get; init; }
    /// <summary>Optional: the mixins to use (Retry, CircuitBreaker, Validation, Security, HealthCheck, Metrics); otherwise recommended.</summary>
    public List<string>? Mixins { get; init; }

    public NodeRequirements ToRequirements() => new()
    {
        NodeType = NodeType ?? "",
        ServiceName = ServiceName ?? "",
        Domain = Domain ?? "",
        BusinessDescription = BusinessDescription ?? "",
        Operations = NoNulls(Operations, "operations"),
        Features = NoNulls(Features, "features"),
        Dependencies = Scalars(Dependencies, "dependencies"),
        PerformanceRequirements = Scalars(PerformanceRequirements, "performance_requirements"),
        DataModels = [.. (DataModels ?? []).Select(Model)],
        Mixins = Mixins is null ? null : NoNulls(Mixins, "mixins"),
    };

    static List<string> NoNulls(List<string>? items, string field)
    {
        if (items is null) return [];
        var nullAt = items.IndexOf(null!);
        return nullAt < 0 ? items : throw ApiException.Validation($"requirements.{field}[{nullAt}]", "expected a string");
    }

    /// <summary>A map of names to strings, numbers or booleans, all read as text.</summary>
    static Dictionary<string, string> Scalars(Dictionary<string, JsonElement>? map, string field) =>
        (map ?? []).ToDictionary(p => p.Key, p => p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString()!,
            JsonValueKind.Number => p.Value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => p.Value.GetBoolean() ? "true" : "false",
            _ => throw ApiException.Validation($"requirements.{field}.{p.Key}", "expected a string, a number or a boolean"),
        }, StringComparer.Ordinal);

    static DataModelSpec Model(JsonElement model, int index)
    {
        var at = $"requirements.data_models[{index}]";
        if (model.ValueKind != JsonValueKind.Object) throw ApiException.Validation(at, "expected an object {name, fields}");
        var name = model.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!
            : throw ApiException.Validation(at + ".name", "expected a string");
        var fields = new List<DataFieldSpec>();
        if (!model.TryGetProperty("fields", out var f) || f.ValueKind == JsonValueKind.Null) return new DataModelSpec(name, fields);
        if (f.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in f.EnumerateObject())
                fields.Add(new DataFieldSpec(field.Name, field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()!
                    : throw ApiException.Validation($"{at}.fields.{field.Name}", "expected a type name such as str, int or list")));
        }
        else if (f.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var field in f.EnumerateArray())
            {
                if (field.ValueKind != JsonValueKind.Object
                    || !field.TryGetProperty("name", out var fieldName) || fieldName.ValueKind != JsonValueKind.String
                    || !field.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                    throw ApiException.Validation($"{at}.fields[{i.ToString(CultureInfo.InvariantCulture)}]", "expected {name, type} with two strings");
                fields.Add(new DataFieldSpec(fieldName.GetString()!, type.GetString()!));
                i++;
            }
        }
        else throw ApiException.Validation(at + ".fields", "expected an object of field types or a list of {name, type}");
        return new DataModelSpec(name, fields);
    }
}
