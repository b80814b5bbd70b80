using System.Globalization;
using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>
/// The AI quorum (docs/intelligence.md, "AI quorum"): <c>Codegen:Quorum:Models:N:{Id, Model, Endpoint, ApiKeyEnv, Weight,
/// TimeoutSeconds}</c>, <c>Threshold</c>, <c>MinParticipatingWeight</c> and <c>DeadlineSeconds</c>; in the environment
/// <c>Codegen__Quorum__Models__0__Id</c> and so on. A bad entry stops start-up naming it in that form.
/// </summary>
public sealed record class QuorumSettings
{
    public IReadOnlyList<QuorumModelSettings> Models { get; init; } = [];
    public double Threshold { get; init; } = 0.6;
    public double MinParticipatingWeight { get; init; } = 3.0;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    const string Section = "Codegen:Quorum";

    public static QuorumSettings From(IConfiguration config)
    {
        var defaults = new QuorumSettings();
        var quorum = config.GetSection(Section);
        var models = new List<QuorumModelSettings>();
        foreach (var entry in quorum.GetSection("Models").GetChildren().OrderBy(c => int.TryParse(c.Key, out var n) ? n : int.MaxValue).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            string Name(string field) => $"Codegen__Quorum__Models__{entry.Key}__{field}";
            var id = entry["Id"] is { Length: > 0 and <= 50 } given && ClusterSettings.IsIdentifier(given)
                ? given : throw new InvalidSettingException(Name("Id"), entry["Id"] ?? "", "expected 1 to 50 letters, digits, '.', '_' or '-'");
            if (models.Any(m => m.Id == id)) throw new InvalidSettingException(Name("Id"), id, "another quorum model has this id");
            var model = entry["Model"] is { Length: > 0 } named ? named.Trim() : throw new InvalidSettingException(Name("Model"), "", "expected the model's name at its endpoint");
            var raw = entry["Endpoint"] ?? "";
            if (!Setting.IsHttpAddress(raw, out var endpoint))
                throw new InvalidSettingException(Name("Endpoint"), raw, "expected an http(s) base address such as https://api.openai.com/v1");
            string? key = null;
            if (entry["ApiKeyEnv"] is { Length: > 0 } keyVariable)
            {
                // The key itself never sits in the configuration: only the name of the variable that holds it.
                key = Setting.Text(config, keyVariable.Trim())
                    ?? throw new InvalidSettingException(Name("ApiKeyEnv"), keyVariable, "the environment variable it names is not set");
            }
            var weight = Number(entry["Weight"], Name("Weight"), 1.0, w => w is > 0 and <= 10, "expected a number above 0, at most 10");
            var timeout = Number(entry["TimeoutSeconds"], Name("TimeoutSeconds"), 30, t => t is > 0 and <= 600, "expected seconds above 0, at most 600");
            models.Add(new QuorumModelSettings(id, model, endpoint, key, weight, TimeSpan.FromSeconds(timeout)));
        }
        return new QuorumSettings
        {
            Models = models,
            Threshold = Number(quorum["Threshold"], "Codegen__Quorum__Threshold", defaults.Threshold, t => t is >= 0 and <= 1, "expected a number from 0 to 1"),
            MinParticipatingWeight = Number(quorum["MinParticipatingWeight"], "Codegen__Quorum__MinParticipatingWeight", defaults.MinParticipatingWeight,
                w => w is >= 0 and <= 1000, "expected a weight from 0 to 1000"),
            Deadline = TimeSpan.FromSeconds(Number(quorum["DeadlineSeconds"], "Codegen__Quorum__DeadlineSeconds", defaults.Deadline.TotalSeconds,
                s => s is > 0 and <= 600, "expected seconds above 0, at most 600")),
        };
    }

    static double Number(string? raw, string name, double fallback, Func<double, bool> accept, string expectation)
    {
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        return double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && accept(value)
            ? value : throw new InvalidSettingException(name, raw, expectation);
    }
}

/// <summary>One quorum model: its id in results, where it is, the key read from the variable ApiKeyEnv names, its weight and one call's timeout.</summary>
public sealed record class QuorumModelSettings(string Id, string Model, Uri Endpoint, string? ApiKey, double Weight, TimeSpan Timeout);
