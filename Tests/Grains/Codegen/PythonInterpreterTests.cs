using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>
/// The interpreter behind the configured <c>python3</c> (docs/protocol.md, "Code generation"): a wrapper script, as pyenv
/// and asdf install, is asked once for the real executable, and checks start that instead of the wrapper every time.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the wrapper is a shell script
public sealed class PythonInterpreterTests : IDisposable
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("omnibridge-python-");

    public void Dispose() => folder.Delete(recursive: true);

    /// <summary>A shell script that counts its starts in a file beside it, then runs python3.</summary>
    string Wrapper()
    {
        var path = Path.Combine(folder.FullName, "python3-wrapper");
        var starts = Path.Combine(folder.FullName, "starts");
        File.WriteAllText(path, $"#!/bin/sh\necho x >> '{starts}'\nexec python3 \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    int WrapperStarts() => File.Exists(Path.Combine(folder.FullName, "starts")) ? File.ReadAllLines(Path.Combine(folder.FullName, "starts")).Length : 0;

    static PythonSyntax Syntax(string python) =>
        new(Microsoft.Extensions.Options.Options.Create(new CodegenOptions { Python = python }));

    [Fact]
    public async Task A_wrapper_is_started_once_and_checks_run_the_interpreter_it_names()
    {
        var syntax = Syntax(Wrapper());
        var broken = new GeneratedFile("node.py", "def broken(:\n    pass\n");
        var fine = new GeneratedFile("models.py", "x = 1\n");

        var first = await syntax.CheckAsync([broken, fine]);
        var second = await syntax.CheckAsync([fine]);

        Assert.True(first.Checked);
        Assert.Contains(first.Errors, e => e.StartsWith("node.py:1:", StringComparison.Ordinal));
        Assert.DoesNotContain(first.Errors, e => e.StartsWith("models.py", StringComparison.Ordinal));
        Assert.True(second.Checked);
        Assert.Empty(second.Errors);
        Assert.Equal(1, WrapperStarts());
        var interpreter = await syntax.InterpreterAsync();
        Assert.NotEqual(Wrapper(), interpreter);
        Assert.True(File.Exists(interpreter));
        Assert.Equal(2, syntax.ProcessesStarted);
    }

    [Fact]
    public async Task Without_an_interpreter_the_configured_command_stays_and_nothing_is_checked()
    {
        var syntax = Syntax(Path.Combine(folder.FullName, "missing-python3"));

        var result = await syntax.CheckAsync([new GeneratedFile("node.py", "x = 1\n")]);

        Assert.False(result.Checked);
        Assert.Equal(Path.Combine(folder.FullName, "missing-python3"), await syntax.InterpreterAsync());
    }
}
