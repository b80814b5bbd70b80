using System.Net;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>The transparency log's key as an operator handles it (docs/transparency.md, "Keys"): made by log-keygen, given as LOG_SIGNING_KEY, reported by /health.</summary>
public sealed class TransparencyKeyTests
{
    [Fact]
    public async Task A_key_from_log_keygen_signs_the_checkpoints_and_health_says_it_is_configured()
    {
        var made = await LogKeys.GenerateAsync("log.example.com");
        string[] keys = [made.Signer, made.Verifier];
        Assert.StartsWith("PRIVATE+KEY+log.example.com+", keys[0], StringComparison.Ordinal);

        await using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["LOG_SIGNING_KEY"] = keys[0], ["LOG_ORIGIN"] = "transparency.example.org" });
        Assert.Equal(keys[1], (await service.Http.GetStringAsync("/api/v1/transparency/demo/key")).Trim());
        var note = SignedNote.Parse(await service.Http.GetStringAsync("/api/v1/transparency/demo/checkpoint"));
        Assert.Equal("transparency.example.org/demo", note.Origin);
        Assert.True(note.VerifiedBy(keys[1]));
        var health = await service.Http.GetReplyAsync("/health");
        Assert.Equal("configured", health.Data.GetProperty("transparency_log").GetProperty("signing_key").GetString());
        Assert.DoesNotContain(keys[0], service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_the_silo_warns_and_health_reports_an_ephemeral_key()
    {
        await using var service = await ServiceProcess.StartReadyAsync();

        var health = await service.Http.GetReplyAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        var log = health.Data.GetProperty("transparency_log");
        Assert.Equal("ephemeral", log.GetProperty("signing_key").GetString());
        Assert.Contains("restart", log.GetProperty("warning").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Task.FromResult(service.Output.Contains("LOG_SIGNING_KEY", StringComparison.Ordinal)), "the start-up warning");
    }

    [Theory]
    [InlineData("LOG_SIGNING_KEY", "PRIVATE+KEY+name+00000000+c2VjcmV0LWtleS1tYXRlcmlhbA==", false)]
    [InlineData("LOG_SIGNING_KEY", "not-a-key", false)]
    [InlineData("LOG_ENABLED", "perhaps", true)]
    [InlineData("LOG_INTEGRATE_MS", "0", true)]
    [InlineData("LOG_ORIGIN", "two words", true)]
    public async Task An_invalid_log_setting_stops_start_up_with_one_line_naming_it(string name, string value, bool echoed)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { [name] = value });

        Assert.NotEqual(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(name, line, StringComparison.Ordinal);
        // A signing key is a secret: the refusal never repeats it.
        Assert.Equal(echoed, line.Contains(value, StringComparison.Ordinal));
    }
}
