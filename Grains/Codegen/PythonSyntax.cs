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
    long started;
    Task<string>? interpreter;

    /// <summary>Interpreters this silo has started for checks (one per check, however many packages it covers).</summary>
    public long ProcessesStarted => Interlocked.Read(ref started);

    /// <summary>Errors (one per file that does not compile) and whether the check ran at all.</summary>
    public async Task<(IReadOnlyList<string> Errors, bool Checked)> CheckAsync(IReadOnlyList<GeneratedFile> files, CancellationToken cancellationToken = default) =>
        (await CheckManyAsync([files], cancellationToken))[0];

    /// <summary>
    /// <see cref="CheckAsync"/> for several packages with one interpreter: starting python3 is most of a check's cost,
    /// so a run's validation stage checks all its ready contracts at once. Each package's errors name its own paths.
    /// </summary>
    public async Task<IReadOnlyList<(IReadOnlyList<string> Errors, bool Checked)>> CheckManyAsync(IReadOnlyList<IReadOnlyList<GeneratedFile>> packages, CancellationToken cancellationToken = default)
    {
        var python = packages.Select(files => files.Where(f => f.Path.EndsWith(".py", StringComparison.Ordinal)).ToList()).ToList();
        var results = new (IReadOnlyList<string> Errors, bool Checked)[packages.Count];
        if (python.All(p => p.Count == 0)) return [.. results.Select(_ => ((IReadOnlyList<string>)[], true))];
        var folder = Directory.CreateTempSubdirectory("omnibridge-codegen-");
        try
        {
            var arguments = new List<string>();
            var bad = new Dictionary<int, string>();
            for (var i = 0; i < python.Count; i++)
            {
                // Each package in its own folder p<i>; only the package's own relative paths reach here (PackageLayout).
                var root = Path.Combine(folder.FullName, $"p{i}");
                foreach (var file in python[i])
                {
                    var target = Path.GetFullPath(Path.Combine(root, file.Path));
                    if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        bad[i] = $"{file.Path}: not a path inside the package";
                        break;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await File.WriteAllTextAsync(target, file.Content, cancellationToken);
                    arguments.Add($"p{i}/{file.Path}");
                }
            }
            var (exit, output) = await RunAsync(folder.FullName, arguments, cancellationToken);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < python.Count; i++)
            {
                if (bad.TryGetValue(i, out var refused)) results[i] = ([refused], true);
                else if (python[i].Count == 0) results[i] = ([], true);
                else if (exit is null) results[i] = ([], false);
                else
                {
                    var prefix = $"error p{i}/";
                    var errors = lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => Clip(line[prefix.Length..])).ToList();
                    if (exit != 0 && !lines.Any(line => line.StartsWith("error ", StringComparison.Ordinal)))
                        errors.Add("python3 could not check the package: " + Clip(output.ReplaceLineEndings(" ")));
                    results[i] = (errors, true);
                }
            }
            return results;
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

    /// <summary>
    /// The interpreter's own executable, asked of the configured command once: <c>python3</c> is often a wrapper script (a
    /// pyenv or asdf shim starts bash and several programs before Python, 390 ms against 80 ms measured here), and a
    /// check pays the start every time. Unanswered (no interpreter, or a wrapper that does not say), the configured command.
    /// </summary>
    public Task<string> InterpreterAsync() => LazyInitializer.EnsureInitialized(ref interpreter, () => Task.Run(ResolveAsync)); // outside any grain's turn

    async Task<string> ResolveAsync()
    {
        var configured = options.Value.Python;
        var (exit, output) = await RunAsync(configured, Path.GetTempPath(), ["-c", "import sys; sys.stdout.write(sys.executable)"], check: false, CancellationToken.None);
        var executable = output.Trim();
        return exit == 0 && Path.IsPathFullyQualified(executable) && File.Exists(executable) ? executable : configured;
    }

    async Task<(int? Exit, string Output)> RunAsync(string folder, IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        await RunAsync(await InterpreterAsync(), folder, ["-B", "-c", Checker, .. paths], check: true, cancellationToken);

    async Task<(int? Exit, string Output)> RunAsync(string python, string folder, IReadOnlyList<string> arguments, bool check, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
            if (check) Interlocked.Increment(ref started);
        }
        catch (Win32Exception)
        {
            return (null, "");
        }
        try
        {
            // A check is background work: the silo's own threads (requests, coordinators, signals) go first (nice 10).
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // Already exited, or not allowed here: it runs at the silo's priority.
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
