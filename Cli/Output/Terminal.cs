using Spectre.Console;

namespace OmniBridge.Cli.Output;

/// <summary>
/// Where the client writes: results on stdout (colours only when stdout is a terminal, so a CI log
/// or a pipe gets plain text without escape sequences), progress bars on stderr and only when
/// stderr is a terminal and no machine output was asked for.
/// </summary>
public sealed class Terminal
{
    Terminal(IAnsiConsole output, IAnsiConsole? progress)
    {
        Output = output;
        ProgressConsole = progress;
    }

    public IAnsiConsole Output { get; }
    IAnsiConsole? ProgressConsole { get; }

    public static Terminal Create(bool machineOutput)
    {
        var output = Console(System.Console.Out, System.Console.IsOutputRedirected);
        // Redirected output has no width of its own: wide enough that a table does not wrap long paths.
        if (System.Console.IsOutputRedirected) output.Profile.Width = 240;
        var progress = machineOutput || System.Console.IsErrorRedirected ? null : Console(System.Console.Error, redirected: false);
        return new Terminal(output, progress);
    }

    static IAnsiConsole Console(TextWriter writer, bool redirected) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        Out = new AnsiConsoleOutput(writer),
    });

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="total"/> units, or silently when there is no terminal for it.</summary>
    public async Task<T> WithProgressAsync<T>(string description, long total, Func<Action<long>, Task<T>> work)
    {
        if (ProgressConsole is null || total <= 0) return await work(_ => { });
        return await ProgressConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                return await work(done => task.Increment(done));
            });
    }

    /// <summary>A line on stderr, plain: warnings and errors.</summary>
    public static void Error(string message) => System.Console.Error.WriteLine("omnibridge: " + message);
}
