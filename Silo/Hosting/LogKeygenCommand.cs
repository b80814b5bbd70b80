using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Hosting;

/// <summary>
/// <c>log-keygen NAME</c>: prints a new transparency log signer key (for LOG_SIGNING_KEY, a
/// secret) and its verifier key (public), in the signed-note formats (docs/transparency.md, "Keys").
/// </summary>
public static class LogKeygenCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var name])
        {
            await Console.Error.WriteLineAsync("usage: log-keygen NAME   (NAME: the key's name, e.g. log.example.com)");
            return 2;
        }
        NoteKey key;
        try
        {
            key = NoteKey.Generate(name);
        }
        catch (FormatException bad)
        {
            await Console.Error.WriteLineAsync(bad.Message);
            return 2;
        }
        using (key)
        {
            await Console.Out.WriteLineAsync($"signer key (LOG_SIGNING_KEY, keep it secret): {key.SignerKey}");
            await Console.Out.WriteLineAsync($"verifier key (public, also served at /api/v1/transparency/{{namespace}}/key): {key.VerifierKey}");
        }
        return 0;
    }
}
