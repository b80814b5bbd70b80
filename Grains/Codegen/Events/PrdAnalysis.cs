using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// Reads a PRD (docs/codegen-events.md, "Responses": analyze) into node requirements, deterministically and without a model:
/// <c>key: value</c> lines (node type, service name, domain, operations, features) win; then the workspace context's
/// fields; then the document's shape: the first heading names the service, bullets under an operations (or endpoints, API,
/// capabilities) heading are the operations, bullets under a features (or requirements) heading the features, the first
/// paragraph the description, and the node type is the one whose cues the text names most (effect when none).
/// Confidence is the share of those facts the PRD stated rather than left to a default.
/// </summary>
public static partial class PrdAnalysis
{
    public sealed record class Result(NodeRequirements Requirements, double Confidence, IReadOnlyList<string> Notes);

    static readonly (string Type, string[] Cues)[] TypeCues =
    [
        ("orchestrator", ["orchestrat", "workflow", "coordinat", "saga", "pipeline", "multi-step", "sequence of steps"]),
        ("reducer", ["aggregat", "reduc", "accumulat", "summar", "rollup", "roll up", "fold", "consolidat"]),
        ("compute", ["calculat", "comput", "transform", "pure function", "deterministic", "score", "pars", "convert"]),
        ("effect", ["database", "api", "http", "kafka", "publish", "write", "send", "store", "persist", "external", "email", "file"]),
    ];

    static readonly Dictionary<string, string> DefaultOperation = new()
    {
        ["effect"] = "execute", ["compute"] = "compute", ["reducer"] = "reduce", ["orchestrator"] = "orchestrate",
    };

    static readonly string[] TitleNoise = ["prd", "product requirements document", "product requirements", "requirements", "specification", "spec"];

    [GeneratedRegex(@"^\s*(?:[-*]\s*)?\**(node[ _]type|service[ _]name|domain|operations|features)\**\s*:\s*(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+(.+)$")]
    private static partial Regex Bullet();

    public static Result Derive(string prd, JsonObject? workspace)
    {
        var notes = new List<string>();
        var lines = prd.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var stated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
            if (KeyValue().Match(line) is { Success: true } m) stated.TryAdd(m.Groups[1].Value.Replace(' ', '_').ToLowerInvariant(), m.Groups[2].Value.Trim().Trim('*', '`').Trim());
        string? Context(string name) => workspace?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
        var sections = Sections(lines);
        var text = prd.ToLowerInvariant();
        var facts = 0;

        // Node type: stated, then the workspace's, then the cues.
        var nodeType = Valid(stated.GetValueOrDefault("node_type")) ?? Valid(Context("node_type"));
        if (nodeType is not null) facts++;
        else
        {
            var scores = TypeCues.Select(t => (t.Type, Score: t.Cues.Sum(c => Count(text, c)))).ToList();
            var best = scores.OrderByDescending(s => s.Score).First();
            nodeType = best.Score > 0 ? best.Type : "effect";
            if (best.Score > 0) facts++;
            else notes.Add("no node type is named or suggested: effect");
        }

        // Service name: stated, the workspace's, the first heading.
        var title = sections.FirstOrDefault(s => s.Heading.Length > 0)?.Heading;
        var serviceName = ServiceName(stated.GetValueOrDefault("service_name")) ?? ServiceName(Context("service_name")) ?? ServiceName(WithoutNoise(title ?? ""));
        if (serviceName is not null) facts++;
        else
        {
            serviceName = "generated_node";
            notes.Add("no service name could be read: generated_node");
        }

        var operations = Names(stated.TryGetValue("operations", out var ops) ? ops.Split(',') : Bullets(sections, "operation", "endpoint", "api", "capabilit", "action"));
        if (operations.Count > 0) facts++;
        else
        {
            operations = [DefaultOperation[nodeType]];
            notes.Add($"no operations are listed: {operations[0]}");
        }

        var features = (stated.TryGetValue("features", out var listed) ? listed.Split(',') : Bullets(sections, "feature", "requirement", "non-functional", "quality"))
            .Select(f => f.Trim()).Where(f => f.Length is > 0 and <= 200).Distinct().Take(RequirementsRules.MaxListItems).ToList();
        if (features.Count > 0) facts++;

        var domain = stated.GetValueOrDefault("domain") ?? Context("domain") ?? "general";
        if (domain.Length > 100) domain = domain[..100];
        var description = sections.SelectMany(s => s.Paragraphs).FirstOrDefault() ?? (title ?? serviceName);
        if (description.Length > RequirementsRules.MaxDescription) description = description[..RequirementsRules.MaxDescription];

        var requirements = new NodeRequirements
        {
            NodeType = nodeType,
            ServiceName = serviceName,
            Domain = domain,
            BusinessDescription = description,
            Operations = operations,
            Features = features,
        };
        return new Result(requirements, Math.Round(0.2 + 0.8 * facts / 4.0, 3), notes);
    }

    static string? Valid(string? nodeType) => nodeType?.Trim().ToLowerInvariant() is { } t && RequirementsRules.NodeTypes.Contains(t) ? t : null;

    static int Count(string text, string cue)
    {
        var count = 0;
        for (var at = text.IndexOf(cue, StringComparison.Ordinal); at >= 0; at = text.IndexOf(cue, at + cue.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    static string WithoutNoise(string title)
    {
        var lower = title.ToLowerInvariant();
        foreach (var noise in TitleNoise) lower = Regex.Replace(lower, $@"\b{Regex.Escape(noise)}\b", " ");
        return lower.Replace(':', ' ');
    }

    /// <summary>A snake_case service name from free text (at most 64 characters, whole words), or null.</summary>
    static string? ServiceName(string? text)
    {
        if (text is null || Identifiers.ToSnake(text) is not { } snake) return null;
        while (snake.Length > 64 && snake.LastIndexOf('_') is > 0 and var cut) snake = snake[..cut];
        return snake.Length <= 64 && Identifiers.IsSnakeCase(snake) && !Identifiers.IsReserved(snake) ? snake : null;
    }

    /// <summary>Operation names from list items: the words before any explanation (":", " - ", "("), at most four, snake_case, once each.</summary>
    static List<string> Names(IEnumerable<string> items)
    {
        var names = new List<string>();
        foreach (var item in items)
        {
            var head = item.Split([":", " - ", " – ", "(", "."], StringSplitOptions.None)[0];
            var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4);
            if (Identifiers.ToSnake(string.Join(' ', words)) is { Length: <= 64 } name && !Identifiers.IsReserved(name) && !names.Contains(name)) names.Add(name);
            if (names.Count == 20) break;
        }
        return names;
    }

    sealed record class Section(string Heading, List<string> Bullets, List<string> Paragraphs);

    static List<Section> Sections(string[] lines)
    {
        var sections = new List<Section> { new("", [], []) };
        var paragraph = new List<string>();
        void EndParagraph()
        {
            if (paragraph.Count > 0) sections[^1].Paragraphs.Add(string.Join(' ', paragraph));
            paragraph.Clear();
        }
        foreach (var line in lines)
        {
            if (Heading().Match(line) is { Success: true } heading)
            {
                EndParagraph();
                sections.Add(new Section(heading.Groups[1].Value.Trim(), [], []));
            }
            else if (Bullet().Match(line) is { Success: true } bullet)
            {
                EndParagraph();
                sections[^1].Bullets.Add(bullet.Groups[1].Value.Trim().Trim('*', '`').Trim());
            }
            else if (string.IsNullOrWhiteSpace(line) || KeyValue().IsMatch(line)) EndParagraph();
            else paragraph.Add(line.Trim());
        }
        EndParagraph();
        return sections;
    }

    static IEnumerable<string> Bullets(List<Section> sections, params string[] headingCues) =>
        sections.Where(s => headingCues.Any(c => s.Heading.Contains(c, StringComparison.OrdinalIgnoreCase))).SelectMany(s => s.Bullets);
}
