using System.Text;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>The messages every model of the quorum gets: the same for all, so their votes are comparable.</summary>
public static class QuorumPrompt
{
    public const string System = """
        You are one reviewer of a panel judging generated ONEX v2.0 Python node code.
        Judge the code against the criteria given. Answer with one JSON object and nothing else:
        {"vote": true or false (true: the code passes), "confidence": a number from 0 to 1, "reasoning": "one or two sentences"}
        """;

    public static string User(QuorumBrief brief)
    {
        var text = new StringBuilder();
        text.Append("Node type: ").Append(brief.NodeType).Append('\n');
        text.Append("Node class: ").Append(brief.NodeName).Append("\n\n");
        text.Append("Validation criteria:\n");
        foreach (var criterion in brief.Criteria) text.Append("- ").Append(criterion).Append('\n');
        if (brief.KnownProblems.Count > 0)
        {
            text.Append("\nProblems the automatic checks found:\n");
            foreach (var problem in brief.KnownProblems.Take(20)) text.Append("- ").Append(problem).Append('\n');
        }
        text.Append("\nContract (contract.yaml):\n```yaml\n").Append(brief.ContractSummary).Append("\n```\n");
        text.Append("\nCode (node.py):\n```python\n").Append(brief.Code).Append("\n```\n");
        return text.ToString();
    }
}
