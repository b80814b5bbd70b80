using System.CommandLine;
using System.Text;
using OmniBridge.Cli.Hashing;
using OmniBridge.Cli.Output;

namespace OmniBridge.Cli.Commands;

/// <summary><c>omnibridge hash FILE…</c>: BLAKE3 of files, printed exactly as b3sum prints them.</summary>
public static class HashCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "files to hash; none, or -, reads standard input" };
        var noNames = new Option<bool>("--no-names") { Description = "print the hashes without the file names" };
        var command = new Command("hash", "BLAKE3 of files, printed like b3sum ({hash}  {path})") { files, noNames };
        command.SetAction(parsed => Run(parsed.GetValue(files) ?? [], parsed.GetValue(noNames)));
        return command;
    }

    static int Run(string[] files, bool noNames)
    {
        using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var status = ExitCodes.Ok;
        foreach (var file in files.Length == 0 ? ["-"] : files)
        {
            try
            {
                string hash;
                if (file == "-")
                {
                    using var input = Console.OpenStandardInput();
                    hash = FileHasher.Blake3Of(input).Blake3;
                }
                else if (Directory.Exists(file)) throw new IOException("Is a directory");
                else hash = FileHasher.Blake3Of(file).Blake3;
                output.Write(noNames ? hash : B3sumNames.Line(hash, file));
                output.Write('\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.Flush();
                Terminal.Error($"{B3sumNames.Display(file)}: {(e is FileNotFoundException ? "No such file or directory" : e.Message)}");
                status = ExitCodes.Error;
            }
        }
        return status;
    }
}
