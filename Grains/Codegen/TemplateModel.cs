using System.Text;
using System.Text.Json;
using OmniBridge.Grains.Codegen.Patterns;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// What the templates see: every name precomputed, every string from the requirements either a
/// quoted literal (JSON syntax, valid as a Python string and as a YAML double-quoted scalar) or
/// plain text stripped of anything that could end a comment, docstring or Markdown line.
/// </summary>
public static class TemplateModel
{
    public static Dictionary<string, object?> Of(NodePlan plan)
    {
        var r = plan.Requirements;
        var operations = plan.Operations.Select(o => new Dictionary<string, object?>
        {
            // Callers name an operation by its identifier.
            ["Name"] = o.Name,
            ["Literal"] = Literal(o.Name),
        }).ToList();
        var patterns = plan.Patterns.Select(name => PatternCatalogue.Find(name) ?? throw new InvalidOperationException($"no pattern {name}")).ToList();
        List<string> Hooked(PatternHooks hook) => [.. patterns.Where(p => p.Hooks.HasFlag(hook)).Select(p => p.Name)];
        var model = new Dictionary<string, object?>
        {
            ["ServiceName"] = r.ServiceName,
            ["PascalName"] = plan.PascalName,
            ["ClassName"] = plan.ClassName,
            ["NodeType"] = r.NodeType,
            ["NodeTypePascal"] = Identifiers.ToPascal(r.NodeType),
            ["IsEffect"] = r.NodeType == "effect",
            ["IsCompute"] = r.NodeType == "compute",
            ["IsReducer"] = r.NodeType == "reducer",
            ["IsOrchestrator"] = r.NodeType == "orchestrator",
            ["ExecuteMethod"] = plan.ExecuteMethod,
            ["RequestModel"] = $"Model{plan.PascalName}Request",
            ["ResponseModel"] = $"Model{plan.PascalName}Response",
            ["DomainLiteral"] = Literal(r.Domain),
            ["DomainDoc"] = Doc(r.Domain),
            ["DescriptionLiteral"] = Literal(r.BusinessDescription),
            ["DescriptionDoc"] = Doc(r.BusinessDescription),
            ["Variant"] = plan.Variant,
            ["Operations"] = operations,
            ["FirstOperation"] = operations[0],
            ["HasFeatures"] = r.Features.Count > 0,
            ["Features"] = r.Features.Select(f => new Dictionary<string, object?> { ["Literal"] = Literal(f), ["Doc"] = Doc(f) }).ToList(),
            ["HasDependencies"] = r.Dependencies.Count > 0,
            ["Dependencies"] = r.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new Dictionary<string, object?>
            {
                ["NameLiteral"] = Literal(d.Key), ["VersionLiteral"] = Literal(d.Value), ["Doc"] = Doc($"{d.Key} {d.Value}"),
            }).ToList(),
            ["HasPerformanceRequirements"] = r.PerformanceRequirements.Count > 0,
            ["PerformanceRequirements"] = r.PerformanceRequirements.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Dictionary<string, object?>
            {
                ["KeyLiteral"] = Literal(p.Key), ["ValueLiteral"] = Literal(p.Value), ["Doc"] = Doc($"{p.Key}: {p.Value}"),
            }).ToList(),
            ["HasDataModels"] = r.DataModels.Count > 0,
            ["DataModels"] = r.DataModels.Select(m => new Dictionary<string, object?>
            {
                ["ClassName"] = "Model" + Identifiers.ToClassName(m.Name),
                ["NameLiteral"] = Literal(m.Name),
                ["Fields"] = m.Fields.Select(f =>
                {
                    var (python, @default, yaml) = RequirementsRules.FieldTypes[f.Type];
                    return new Dictionary<string, object?>
                    {
                        ["Name"] = Identifiers.ToSnake(f.Name), ["NameLiteral"] = Literal(f.Name),
                        ["PythonType"] = python, ["PythonDefault"] = @default, ["YamlType"] = Literal(yaml),
                    };
                }).ToList(),
            }).ToList(),
            ["HasMixins"] = plan.Mixins.Count > 0,
            ["Mixins"] = plan.Mixins.Select(m => new Dictionary<string, object?>
            {
                ["Name"] = m, ["ClassName"] = "Mixin" + m, ["Literal"] = Literal(m),
            }).ToList(),
            ["HasBases"] = plan.Mixins.Count > 0 || patterns.Count > 0,
            ["HasPatterns"] = patterns.Count > 0,
            ["Patterns"] = patterns.Select(p => new Dictionary<string, object?>
            {
                ["Name"] = p.Name, ["Mixin"] = p.Mixin, ["Literal"] = Literal(p.Name), ["Source"] = p.Generate(plan).TrimEnd(),
            }).ToList(),
            ["PatternImports"] = patterns.SelectMany(p => p.ImportLines).Distinct().Order(StringComparer.Ordinal).ToList(),
            ["PatternInits"] = Hooked(PatternHooks.Init),
            ["PatternBefore"] = Hooked(PatternHooks.Before),
            // Nearest the handler first: each wrapper wraps the ones before it.
            ["PatternWraps"] = patterns.Where(p => p.Hooks.HasFlag(PatternHooks.Wrap)).OrderBy(p => p.WrapOrder).Select(p => p.Name).ToList(),
            ["PatternAfter"] = Hooked(PatternHooks.After),
            ["PatternHealth"] = Hooked(PatternHooks.Health),
            ["HasPatternHealth"] = patterns.Any(p => p.Hooks.HasFlag(PatternHooks.Health)),
            ["HasSubcontracts"] = plan.Subcontracts.Count > 0,
            ["HasUpstream"] = plan.Upstream.Count > 0,
            ["Upstream"] = plan.Upstream.Select(u => new Dictionary<string, object?>
            {
                ["Contract"] = u.Contract, ["ResponseModel"] = u.ResponseModel, ["NodeClass"] = u.NodeClass, ["FieldName"] = u.Contract + "_response",
            }).ToList(),
            ["GeneratorLiteral"] = Literal("omnibridge-orleans codegen 1.0"),
        };
        foreach (var variant in VariantSelection.All) model["Is" + Identifiers.ToPascal(variant)] = plan.Variant == variant;
        foreach (var mixin in MixinRules.All) model["Has" + mixin] = plan.Mixins.Contains(mixin);
        foreach (var kind in Subcontracts.All) model[$"Has{Identifiers.ToPascal(kind)}Subcontract"] = plan.Subcontracts.Contains(kind);
        return model;
    }

    /// <summary>A quoted string literal in JSON syntax: every quote, backslash, control and non-ASCII character escaped.</summary>
    public static string Literal(string text) => JsonSerializer.Serialize(text);

    /// <summary>Text safe inside a comment, a docstring or a Markdown line: one line, no quotes or backslashes, at most 500 characters.</summary>
    public static string Doc(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 500));
        foreach (var c in text)
        {
            if (builder.Length >= 500) break;
            if (char.IsControl(c) || char.IsWhiteSpace(c)) { if (builder.Length > 0 && builder[^1] != ' ') builder.Append(' '); }
            else if (c is '"' or '`') builder.Append('\'');
            else if (c is '\\' or '{' or '}' or '<' or '>') continue;
            else if (char.IsSurrogate(c)) builder.Append('?');
            else builder.Append(c);
        }
        return builder.ToString().Trim();
    }
}
