using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The validation pipeline by level (docs/protocol.md, "Code generation"). basic: every YAML file parses and every Python file
/// compiles (python3's py_compile). standard: also ONEX naming and structure (every file of the
/// package, the class Node&lt;PascalName&gt;&lt;Type&gt; with its execute method, a contract naming
/// the node type and every operation, the request and response models). strict: also security
/// (no eval, exec, compile, os.system, subprocess, pickle or marshal; no hard-coded secrets).
/// </summary>
public sealed partial class PackageValidation(PythonSyntax python)
{
    public async Task<PackageFindings> ValidateAsync(NodePlan plan, IReadOnlyList<GeneratedFile> files, string level, CancellationToken cancellationToken = default) =>
        (await ValidateManyAsync([(plan, files)], level, cancellationToken))[0];

    /// <summary>Several packages at one level, their Python checked by one interpreter (a run's validation stage).</summary>
    public async Task<IReadOnlyList<PackageFindings>> ValidateManyAsync(IReadOnlyList<(NodePlan Plan, IReadOnlyList<GeneratedFile> Files)> packages, string level, CancellationToken cancellationToken = default)
    {
        var rank = ValidationLevels.Rank(level);
        if (rank <= 0) return [.. packages.Select(_ => new PackageFindings([], ["validation level none: the package was not checked"]))];
        var syntax = await python.CheckManyAsync([.. packages.Select(p => p.Files)], cancellationToken);
        return [.. packages.Select((p, i) => Findings(p.Plan, p.Files, rank, syntax[i]))];
    }

    static PackageFindings Findings(NodePlan plan, IReadOnlyList<GeneratedFile> files, int rank, (IReadOnlyList<string> Errors, bool Checked) syntax)
    {
        var errors = new List<string>();
        var notes = new List<string>();
        var contracts = new Dictionary<string, YamlNode?>();
        foreach (var file in files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal) || f.Path.EndsWith(".yml", StringComparison.Ordinal)))
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(file.Content));
                contracts[file.Path] = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            }
            catch (YamlException e)
            {
                errors.Add($"{file.Path}: not valid YAML at line {e.Start.Line}: {e.Message}");
            }
        }
        errors.AddRange(syntax.Errors);
        if (!syntax.Checked) notes.Add("python3 is not available here: the Python files were not compiled (py_compile)");
        if (rank >= 2) errors.AddRange(Structure(plan, files, contracts.GetValueOrDefault("contract.yaml")));
        if (rank >= 3) errors.AddRange(Security(files));
        return new PackageFindings(errors, notes);
    }

    static IEnumerable<string> Structure(NodePlan plan, IReadOnlyList<GeneratedFile> files, YamlNode? contract)
    {
        var byPath = files.ToDictionary(f => f.Path, f => f.Content);
        foreach (var missing in PackageLayout.Files.Where(path => !byPath.ContainsKey(path))) yield return $"{missing}: missing from the package";
        if (!ClassName().IsMatch(plan.ClassName)) yield return $"node.py: class name {plan.ClassName} does not follow Node<PascalName><Type>";
        if (byPath.TryGetValue("node.py", out var node))
        {
            if (!Regex.IsMatch(node, $@"(?m)^class {plan.ClassName}\b")) yield return $"node.py: no class {plan.ClassName}";
            if (!Regex.IsMatch(node, $@"(?m)^\s+async def {plan.ExecuteMethod}\(")) yield return $"node.py: no async method {plan.ExecuteMethod} for a {plan.NodeType} node";
            foreach (var (_, name) in plan.Operations)
                if (!node.Contains($"_handle_{name}", StringComparison.Ordinal)) yield return $"node.py: no handler for operation {name}";
        }
        var request = $"Model{plan.PascalName}Request";
        var response = $"Model{plan.PascalName}Response";
        if (byPath.TryGetValue("models/model_request.py", out var requestModel) && !requestModel.Contains($"class {request}", StringComparison.Ordinal))
            yield return $"models/model_request.py: no class {request}";
        if (byPath.TryGetValue("models/model_response.py", out var responseModel) && !responseModel.Contains($"class {response}", StringComparison.Ordinal))
            yield return $"models/model_response.py: no class {response}";
        if (byPath.TryGetValue("tests/test_node.py", out var tests) && !Regex.IsMatch(tests, @"(?m)^\s*(async )?def test_")) yield return "tests/test_node.py: no test functions";
        if (byPath.ContainsKey("contract.yaml"))
        {
            foreach (var problem in Contract(plan, contract)) yield return "contract.yaml: " + problem;
        }
    }

    static IEnumerable<string> Contract(NodePlan plan, YamlNode? root)
    {
        if (root is not YamlMappingNode contract)
        {
            yield return "not a mapping";
            yield break;
        }
        string? Scalar(string key) => contract.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;
        if (Scalar("node_type") is var type && !string.Equals(type, plan.NodeType, StringComparison.OrdinalIgnoreCase))
            yield return $"node_type is {type ?? "missing"}, not {plan.NodeType}";
        if (Scalar("name") != plan.Requirements.ServiceName) yield return $"name is not {plan.Requirements.ServiceName}";
        if (Scalar("class_name") is { } named && named != plan.ClassName) yield return $"class_name is {named}, not {plan.ClassName}";
        var listed = contract.Children.TryGetValue(new YamlScalarNode("operations"), out var operations) && operations is YamlSequenceNode sequence
            ? sequence.Children.Select(o => o is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? (n as YamlScalarNode)?.Value
                : (o as YamlScalarNode)?.Value).OfType<string>().Select(Identifiers.ToSnake).ToHashSet()
            : [];
        foreach (var (given, name) in plan.Operations)
            if (!listed.Contains(name)) yield return $"operation {given} is not listed";
    }

    internal static IEnumerable<string> Security(IReadOnlyList<GeneratedFile> files)
    {
        foreach (var file in files)
        {
            var python = file.Path.EndsWith(".py", StringComparison.Ordinal);
            var lines = file.Content.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var code = python ? WithoutComment(line) : line;
                if (python && Dangerous().Match(code) is { Success: true } call) yield return $"{file.Path}:{i + 1}: {call.Value.Trim()} is not allowed (strict)";
                if (Secret().IsMatch(code)) yield return $"{file.Path}:{i + 1}: looks like a hard-coded secret (strict)";
            }
        }
    }

    static string WithoutComment(string line) => line.TrimStart().StartsWith('#') ? "" : line;

    [GeneratedRegex(@"^Node[A-Z][A-Za-z0-9]*(Effect|Compute|Reducer|Orchestrator)$")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"(?<![\w.])(eval|exec|compile|__import__)\s*\(|\bos\.(system|popen|exec\w*|spawn\w*)\b|\bimport\s+(subprocess|pickle|marshal)\b|\bfrom\s+(subprocess|pickle|marshal)\s+import\b|\b(pickle|marshal)\.loads?\b")]
    private static partial Regex Dangerous();

    [GeneratedRegex(@"(?i)\b[\w]*(password|passwd|secret|api_?key|access_?key|private_?key|token)[\w]*\s*[:=]\s*[""'][^""'\s]{6,}[""']|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\bsk-[A-Za-z0-9]{20,}")]
    private static partial Regex Secret();
}
