using System.Text.Json;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// One model's answer read as a vote: a JSON object <c>{vote, confidence, reasoning}</c>, alone or inside a Markdown code
/// fence. Anything else is unreadable, and the model does not take part (no defaults are guessed for it).
/// </summary>
public sealed record class QuorumBallot(bool Vote, double Confidence, string Reasoning)
{
    /// <exception cref="FormatException">The answer is not such an object; the message says what is wrong.</exception>
    public static QuorumBallot Read(string answer)
    {
        var json = ModelAnswer.Unfenced(answer);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new FormatException("the answer is not a JSON object");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the answer is not a JSON object");
            var vote = root.TryGetProperty("vote", out var v) ? v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when v.GetString() is { } s && s.Equals("pass", StringComparison.OrdinalIgnoreCase) => true,
                JsonValueKind.String when v.GetString() is { } s && s.Equals("fail", StringComparison.OrdinalIgnoreCase) => false,
                _ => throw new FormatException("vote is not true or false"),
            } : throw new FormatException("the answer has no vote");
            var confidence = root.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetDouble(out var number)
                ? number : throw new FormatException("the answer has no numeric confidence");
            if (!(confidence is >= 0 and <= 1)) throw new FormatException($"confidence {c.GetRawText()} is not between 0 and 1");
            var reasoning = root.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            return new QuorumBallot(vote, confidence, reasoning);
        }
    }
}
