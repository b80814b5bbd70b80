namespace OmniBridge.Grains.Ports;

/// <summary>What a chat model's answer holds: models often wrap the JSON they were asked for in a Markdown code fence.</summary>
public static class ModelAnswer
{
    /// <summary>The inside of the first Markdown code fence (```json or ```), or the trimmed text itself when it has none.</summary>
    public static string Unfenced(string answer)
    {
        answer = answer.Trim();
        var open = answer.IndexOf("```", StringComparison.Ordinal);
        if (open < 0) return answer;
        var bodyStart = answer.IndexOf('\n', open);
        if (bodyStart < 0) return answer;
        var close = answer.IndexOf("```", bodyStart, StringComparison.Ordinal);
        return close < 0 ? answer : answer[(bodyStart + 1)..close].Trim();
    }
}
