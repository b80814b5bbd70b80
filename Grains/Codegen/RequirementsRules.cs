using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// Checks a generation request before anything runs and reports every problem at once (field path
/// and message), so a caller fixes them all in one go.
/// </summary>
public static partial class RequirementsRules
{
    public static readonly IReadOnlyList<string> NodeTypes = ["effect", "compute", "reducer", "orchestrator"];
    public const int MaxOperations = 50;
    public const int MaxListItems = 50;
    public const int MaxDescription = 4000;

    /// <summary>Field types a data model may use, with their Python type, default and YAML type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Python, string Default, string Yaml)> FieldTypes =
        new Dictionary<string, (string, string, string)>
        {
            ["str"] = ("str", "\"\"", "string"), ["string"] = ("str", "\"\"", "string"),
            ["int"] = ("int", "0", "integer"), ["integer"] = ("int", "0", "integer"),
            ["float"] = ("float", "0.0", "number"), ["number"] = ("float", "0.0", "number"),
            ["bool"] = ("bool", "False", "boolean"), ["boolean"] = ("bool", "False", "boolean"),
            ["dict"] = ("dict", "field(default_factory=dict)", "object"), ["object"] = ("dict", "field(default_factory=dict)", "object"),
            ["list"] = ("list", "field(default_factory=list)", "array"), ["array"] = ("list", "field(default_factory=list)", "array"),
            ["datetime"] = ("str", "\"\"", "string"),
        };

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-\[\]]{0,99}$")]
    private static partial Regex PackageName();

    public static void Require(GenerationRequest request)
    {
        var problems = Check(request).ToList();
        if (problems.Count > 0) throw new CodegenRequestException(ErrorCodes.ValidationError, problems);
        if (request.Requirements.Mixins is { } mixins && MixinRules.Check(mixins, request.Requirements).ToList() is { Count: > 0 } conflicts)
            throw new CodegenRequestException(ErrorCodes.MixinConflict, conflicts);
    }

    public static IEnumerable<RequirementProblem> Check(GenerationRequest request)
    {
        if (!CodegenStrategies.All.Contains(request.Strategy))
            yield return new("strategy", $"strategy must be one of {string.Join(", ", CodegenStrategies.All)}");
        if (ValidationLevels.Rank(request.ValidationLevel) < 0)
            yield return new("validation_level", $"validation_level must be one of {string.Join(", ", ValidationLevels.All)}");
        foreach (var problem in Check(request.Requirements)) yield return problem;
    }

    public static IEnumerable<RequirementProblem> Check(NodeRequirements r)
    {
        const string at = "requirements.";
        if (!NodeTypes.Contains(r.NodeType)) yield return new(at + "node_type", $"node_type must be one of {string.Join(", ", NodeTypes)}");
        if (r.ServiceName.Length == 0) yield return new(at + "service_name", "service_name is required");
        else if (r.ServiceName.Length > 64 || !Identifiers.IsSnakeCase(r.ServiceName))
            yield return new(at + "service_name", "service_name must be snake_case (a-z, 0-9 and single underscores, starting with a letter), at most 64 characters");
        else if (Identifiers.IsReserved(r.ServiceName)) yield return new(at + "service_name", $"service_name '{r.ServiceName}' is a Python keyword");
        if (string.IsNullOrWhiteSpace(r.Domain)) yield return new(at + "domain", "domain is required");
        else if (r.Domain.Length > 100) yield return new(at + "domain", "domain is at most 100 characters");
        if (string.IsNullOrWhiteSpace(r.BusinessDescription)) yield return new(at + "business_description", "business_description is required");
        else if (r.BusinessDescription.Length > MaxDescription) yield return new(at + "business_description", $"business_description is at most {MaxDescription} characters");

        if (r.Operations.Count == 0) yield return new(at + "operations", "at least one operation is required");
        if (r.Operations.Count > MaxOperations) yield return new(at + "operations", $"at most {MaxOperations} operations");
        var operationNames = new HashSet<string>();
        for (var i = 0; i < Math.Min(r.Operations.Count, MaxOperations); i++)
        {
            var name = r.Operations[i].Length <= 64 ? Identifiers.ToSnake(r.Operations[i]) : null;
            if (name is null) yield return new($"{at}operations[{i}]", "an operation is a name of at most 64 characters starting with a letter");
            else if (Identifiers.IsReserved(name)) yield return new($"{at}operations[{i}]", $"operation '{name}' is a Python keyword");
            else if (!operationNames.Add(name)) yield return new($"{at}operations[{i}]", $"operation '{name}' is listed twice");
        }
        if (r.Features.Count > MaxListItems) yield return new(at + "features", $"at most {MaxListItems} features");
        for (var i = 0; i < r.Features.Count; i++)
            if (string.IsNullOrWhiteSpace(r.Features[i]) || r.Features[i].Length > 200) yield return new($"{at}features[{i}]", "a feature is 1 to 200 characters");
        if (r.Dependencies.Count > MaxListItems) yield return new(at + "dependencies", $"at most {MaxListItems} dependencies");
        foreach (var (name, version) in r.Dependencies)
        {
            if (!PackageName().IsMatch(name)) yield return new($"{at}dependencies.{Clip(name)}", "a dependency is a Python package name");
            else if (version.Length > 50 || version.Any(char.IsControl)) yield return new($"{at}dependencies.{name}", "a version specifier is at most 50 characters");
        }
        if (r.PerformanceRequirements.Count > 20) yield return new(at + "performance_requirements", "at most 20 performance requirements");
        foreach (var (key, value) in r.PerformanceRequirements)
        {
            if (key.Length > 64 || Identifiers.ToSnake(key) != key) yield return new($"{at}performance_requirements.{Clip(key)}", "a performance requirement's name is snake_case");
            else if (value.Length > 100 || value.Any(char.IsControl)) yield return new($"{at}performance_requirements.{key}", "a performance requirement's value is at most 100 characters");
        }
        foreach (var problem in CheckModels(r.DataModels)) yield return problem;
    }

    static IEnumerable<RequirementProblem> CheckModels(IReadOnlyList<DataModelSpec> models)
    {
        const string at = "requirements.data_models";
        if (models.Count > 20) yield return new(at, "at most 20 data models");
        var names = new HashSet<string>();
        for (var i = 0; i < Math.Min(models.Count, 20); i++)
        {
            var model = models[i];
            var name = model.Name.Length <= 64 ? Identifiers.ToSnake(model.Name) : null;
            if (name is null) yield return new($"{at}[{i}].name", "a data model's name starts with a letter, at most 64 characters");
            else if (!names.Add(name)) yield return new($"{at}[{i}].name", $"data model '{name}' is listed twice");
            if (model.Fields.Count > 50) yield return new($"{at}[{i}].fields", "at most 50 fields");
            var fields = new HashSet<string>();
            for (var f = 0; f < Math.Min(model.Fields.Count, 50); f++)
            {
                var field = model.Fields[f];
                var fieldName = field.Name.Length <= 64 ? Identifiers.ToSnake(field.Name) : null;
                if (fieldName is null || Identifiers.IsReserved(fieldName)) yield return new($"{at}[{i}].fields.{Clip(field.Name)}", "a field's name is an identifier that is not a Python keyword");
                else if (!fields.Add(fieldName)) yield return new($"{at}[{i}].fields.{fieldName}", $"field '{fieldName}' is listed twice");
                if (!FieldTypes.ContainsKey(field.Type))
                    yield return new($"{at}[{i}].fields.{Clip(field.Name)}", $"unknown type '{Clip(field.Type)}'; expected one of {string.Join(", ", FieldTypes.Keys)}");
            }
        }
    }

    static string Clip(string text) => text.Length <= 40 ? text : text[..40];
}
