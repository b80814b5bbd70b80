using System.Globalization;

namespace OmniBridge.Bench;

/// <summary>
/// CPU used so far by this process (silo, producer, mock broker, consumer: whatever the benchmark
/// runs in it) and by PostgreSQL's server processes working for one database. CPU per operation
/// holds on a busy machine, where times do not.
/// </summary>
readonly record struct CpuMark(TimeSpan Process, TimeSpan Jit, long Compiled, double PostgresMs, string? Database)
{
    /// <param name="database">Count only the PostgreSQL backends connected to this database (all of them when null).</param>
    public static CpuMark Now(string? database = null) =>
        new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount(), PostgresCpuMs(database), database);

    /// <summary>
    /// What was used since this mark, per <paramref name="unit"/>; the process's share also says how much of it was the
    /// JIT compiling (a phase that compiles what it runs is not yet measuring its steady state).
    /// </summary>
    public string Per(string unit, string phase, int count)
    {
        var now = Now(Database);
        return string.Create(CultureInfo.InvariantCulture,
            $"cpu per {unit}, {phase}: this process {(now.Process - Process).TotalMilliseconds * 1000 / count:F0} us (JIT {(now.Jit - Jit).TotalMilliseconds * 1000 / count:F0}: {now.Compiled - Compiled} methods), PostgreSQL {(now.PostgresMs - PostgresMs) * 1000 / count:F0} us");
    }

    /// <summary>
    /// Milliseconds of CPU used so far by the processes named postgres on this machine (/proc; clock
    /// ticks of 10 ms), or only by the backends of <paramref name="database"/> (their title names it).
    /// A backend that ended since the mark takes its CPU with it.
    /// </summary>
    static double PostgresCpuMs(string? database)
    {
        double ms = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                if (!File.ReadAllText(dir + "/comm").StartsWith("postgres", StringComparison.Ordinal)) continue;
                if (database is not null)
                {
                    // "postgres: USER DATABASE HOST(PORT) STATE"
                    var title = File.ReadAllText(dir + "/cmdline").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (title.Length < 3 || title[0] != "postgres:" || title[2] != database) continue;
                }
                var f = File.ReadAllText(dir + "/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ms += (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) * 10.0;
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        return ms;
    }
}
