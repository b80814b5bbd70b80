using System.CommandLine;
using OmniBridge.Cli;
using OmniBridge.Cli.Commands;
using OmniBridge.Cli.Output;
using OmniBridge.Cli.Service;

var root = new RootCommand("omnibridge: hash, stamp and verify trees of files with an OmniBridge service (docs/cli.md)")
{
    HashCommand.Create(),
    StampCommand.Create(),
    VerifyCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Terminal.Error(error.Message);
    Console.Error.WriteLine("Run 'omnibridge --help' for usage.");
    return ExitCodes.Error;
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is ServiceException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
{
    Terminal.Error(e.Message);
    return ExitCodes.Error;
}
catch (OperationCanceledException)
{
    Terminal.Error("cancelled");
    return ExitCodes.Error;
}
