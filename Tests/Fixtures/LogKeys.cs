namespace OmniBridge.Tests.Fixtures;

/// <summary>A signer key and its verifier key for the transparency log, made by the silo's own log-keygen.</summary>
public sealed record class LogKeys(string Signer, string Verifier)
{
    public static async Task<LogKeys> GenerateAsync(string name)
    {
        await using var keygen = ServiceProcess.Start(new Dictionary<string, string>(), arguments: ["log-keygen", name]);
        Assert.Equal(0, await keygen.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var keys = keygen.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal) || l.StartsWith(name + "+", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, keys.Length);
        return new LogKeys(keys[0], keys[1]);
    }
}
