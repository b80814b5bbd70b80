using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>
/// The validation step's quality score, 0 to 1 (docs/runs.md, "Dependencies": the quality score): 0.6 for the validation pipeline
/// (less 0.12 per error, down to nothing at five), 0.2 for the share of Python functions with a return annotation and
/// 0.2 for the share with a docstring.
/// </summary>
public static partial class QualityScore
{
    public static double Of(IReadOnlyList<GeneratedFile> files, IReadOnlyList<string> errors)
    {
        int functions = 0, typed = 0, documented = 0;
        foreach (var file in files.Where(f => f.Path.EndsWith(".py", StringComparison.Ordinal)))
        {
            var lines = file.Content.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (Function().Match(lines[i]) is not { Success: true } def) continue;
                functions++;
                if (def.Groups["returns"].Success) typed++;
                var next = lines.Skip(i + 1).FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart() ?? "";
                if (next.StartsWith("\"\"\"", StringComparison.Ordinal) || next.StartsWith("'''", StringComparison.Ordinal)) documented++;
            }
        }
        var checks = 1 - Math.Min(errors.Count, 5) / 5.0;
        var score = 0.6 * checks + (functions == 0 ? 0.4 : 0.2 * typed / functions + 0.2 * documented / functions);
        return Math.Round(score, 4);
    }

    [GeneratedRegex(@"^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(?<returns>->\s*[^:]+)?:\s*(#.*)?$")]
    private static partial Regex Function();
}
