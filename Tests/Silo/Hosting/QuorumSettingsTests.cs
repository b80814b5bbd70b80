using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>docs/intelligence.md, "Configuration": a bad Codegen:Quorum entry stops start-up with one line naming it in its environment form.</summary>
public sealed class QuorumSettingsTests
{
    static Dictionary<string, string> OneModel(string field, string value)
    {
        var settings = new Dictionary<string, string>
        {
            ["Codegen__Quorum__Models__0__Id"] = "local",
            ["Codegen__Quorum__Models__0__Model"] = "qwen2.5-coder",
            ["Codegen__Quorum__Models__0__Endpoint"] = "http://127.0.0.1:11434/v1",
            ["Codegen__Quorum__Models__0__Weight"] = "2",
        };
        settings[field] = value;
        return settings;
    }

    [Theory]
    [InlineData("Codegen__Quorum__Models__0__Weight", "0")]
    [InlineData("Codegen__Quorum__Models__0__Weight", "10.5")]
    [InlineData("Codegen__Quorum__Models__0__Weight", "heavy")]
    [InlineData("Codegen__Quorum__Models__0__Endpoint", "ftp://models.example")]
    [InlineData("Codegen__Quorum__Models__0__Id", "two words")]
    [InlineData("Codegen__Quorum__Models__0__Model", "")]
    [InlineData("Codegen__Quorum__Models__0__TimeoutSeconds", "-1")]
    [InlineData("Codegen__Quorum__Models__0__ApiKeyEnv", "OMNIBRIDGE_TEST_UNSET_QUORUM_KEY")]
    [InlineData("Codegen__Quorum__Threshold", "1.5")]
    [InlineData("Codegen__Quorum__MinParticipatingWeight", "-3")]
    [InlineData("Codegen__Quorum__DeadlineSeconds", "0")]
    public async Task A_bad_quorum_setting_stops_start_up_with_one_line_naming_it(string name, string value)
    {
        await using var service = ServiceProcess.Start(OneModel(name, value));
        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
    }
}
