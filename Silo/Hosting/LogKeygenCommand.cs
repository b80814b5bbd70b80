using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Hosting;

/// <summary>
/// <c>log-keygen NAME</c>: prints a new transparency log signer key (for LOG_SIGNING_KEY, a
/// secret) and, on the next line, its verifier key (public), in the signed-note formats (docs/transparency.md, "Keys").
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
            // The keys alone on stdout, so that a script can take the first line; what they are on stderr.
            await Console.Out.WriteLineAsync(key.SignerKey);
            await Console.Out.WriteLineAsync(key.VerifierKey);
            await Console.Error.WriteLineAsync("line 1: the signer key, for LOG_SIGNING_KEY (a secret); line 2: the verifier key (public; also served at /api/v1/transparency/{namespace}/key)");
        }
        return 0;
    }
}
