using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// Checks that Python files compile, with the real interpreter: <c>python3 -m py_compile</c> on a
/// private copy of the files. Without an interpreter it says so instead of passing silently.
/// </summary>
public sealed class PythonSyntax(IOptions<CodegenOptions> options)
{
    /// <summary>Errors (one per file that does not compile) and whether the check ran at all.</summary>
    public async Task<(IReadOnlyList<string> Errors, bool Checked)> CheckAsync(IReadOnlyList<GeneratedFile> files, CancellationToken cancellationToken = default)
    {
        var python = files.Where(f => f.Path.EndsWith(".py", StringComparison.Ordinal)).ToList();
        if (python.Count == 0) return ([], true);
        var folder = Directory.CreateTempSubdirectory("omnibridge-codegen-");
        try
        {
            foreach (var file in python)
            {
                // Only the package's own relative paths reach here (PackageLayout); never write outside the folder.
                var target = Path.GetFullPath(Path.Combine(folder.FullName, file.Path));
                if (!target.StartsWith(folder.FullName + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return ([$"{file.Path}: not a path inside the package"], true);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllTextAsync(target, file.Content, cancellationToken);
            }
            var (exit, output) = await RunAsync(folder.FullName, [.. python.Select(f => f.Path)], cancellationToken);
            if (exit is null) return ([], false);
            var errors = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith("error ", StringComparison.Ordinal)).Select(line => Clip(line["error ".Length..])).ToList();
            if (exit != 0 && errors.Count == 0) errors.Add("python3 could not check the package: " + Clip(output.ReplaceLineEndings(" ")));
            return (errors, true);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// py_compile on each file in one interpreter (the module's own command line stops at the
    /// first error); one line "error PATH:LINE: MESSAGE" per file that does not compile.
    /// </summary>
    const string Checker = """
        import py_compile, sys
        for index, path in enumerate(sys.argv[1:]):
            try:
                py_compile.compile(path, cfile=f".pyc/{index}.pyc", doraise=True)
            except py_compile.PyCompileError as error:
                cause = error.exc_value
                line = getattr(cause, "lineno", None) or "?"
                message = getattr(cause, "msg", None) or str(cause)
                print(f"error {path}:{line}: {message}".replace("\n", " "))
        """;

    async Task<(int? Exit, string Output)> RunAsync(string folder, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.Python)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-B");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Checker);
        foreach (var path in paths) start.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return (null, "");
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.PythonTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }

    static string Clip(string text) => text.Length <= 500 ? text : text[..500];
}
