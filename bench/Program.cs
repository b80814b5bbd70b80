using System.Globalization;
using OmniBridge.Bench;

// bench/run.sh runs these against a throwaway PostgreSQL and prints the tables.
return args switch
{
    ["store", var connectionString, ..] => await StoreBenchmark.RunAsync(connectionString, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000),
    ["nodes", var host, var port, var database] => await NodesAsync(new Dictionary<string, string?>
    {
        ["POSTGRES_HOST"] = host, ["POSTGRES_PORT"] = port, ["POSTGRES_DB"] = database,
    }),
    ["events", var host, var port, var database, ..] => await EventsAsync(new Dictionary<string, string?>
    {
        ["POSTGRES_HOST"] = host, ["POSTGRES_PORT"] = port, ["POSTGRES_DB"] = database,
    }, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50_000),
    ["log", var connectionString, ..] => await TransparencyBenchmark.RunAsync(connectionString,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50_000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1_000_000,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 64),
    ["codegen"] => await CodegenAsync(),
    ["codegen-events", var host, var port, var database, ..] => await CodegenEventsAsync(new Dictionary<string, string?>
    {
        ["POSTGRES_HOST"] = host, ["POSTGRES_PORT"] = port, ["POSTGRES_DB"] = database,
    }, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 500),
    ["runs"] => await RunsAsync(),
    ["calls"] => await CallsAsync(),
    ["quorum"] => await QuorumAsync(),
    ["patterns", ..] => Patterns(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000),
    ["perf", var root, .. var rest] => await PerfAsync(root, rest),
    ["cli", var root, ..] => await CliAsync(root, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5, args.Length > 3 ? args[3] : null),
    _ => Usage(),
};

static async Task<int> NodesAsync(Dictionary<string, string?> postgres)
{
    Console.WriteLine("| workflow latency | workflows | p50 ms | p99 ms |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await WorkflowBenchmark.RunAsync("in memory", new Dictionary<string, string?>())) Console.WriteLine(row);
    foreach (var row in await WorkflowBenchmark.RunAsync("PostgreSQL", postgres)) Console.WriteLine(row);
    Console.WriteLine();
    Console.WriteLine("| reducer throughput | events | seconds | events/s |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await ReducerBenchmark.RunAsync("in memory", new Dictionary<string, string?>(), 200_000)) Console.WriteLine(row);
    foreach (var row in await ReducerBenchmark.RunAsync("PostgreSQL", postgres, 100_000)) Console.WriteLine(row);
    return 0;
}

static async Task<int> EventsAsync(Dictionary<string, string?> postgres, int stamps)
{
    Console.WriteLine("| events to Kafka | events | seconds | events/s |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await EventBenchmark.RunAsync(postgres, stamps)) Console.WriteLine(row);
    return 0;
}

static async Task<int> CodegenAsync()
{
    Console.WriteLine("| node package generation | runs | p50 ms | p99 ms |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await CodegenBenchmark.RunAsync()) Console.WriteLine(row);
    return 0;
}

static int Patterns(int queries)
{
    Console.WriteLine("| pattern match | queries | p50 µs | p99 µs | max µs | queries/s | target |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var row in PatternBenchmark.Run(queries)) Console.WriteLine(row);
    return 0;
}

static async Task<int> CodegenEventsAsync(Dictionary<string, string?> postgres, int requests)
{
    Console.WriteLine("| codegen event round trip (mock cluster) | requests | p50 ms | p95 ms | p99 ms |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var row in await CodegenEventBenchmark.RunAsync(postgres, requests)) Console.WriteLine(row);
    return 0;
}

static async Task<int> CallsAsync()
{
    Console.WriteLine("| grain calls on the service's silo | as shipped | with trace propagation on every call (before) | ratio |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await GrainCallBenchmark.RunAsync()) Console.WriteLine(row);
    return 0;
}

static async Task<int> RunsAsync()
{
    Console.WriteLine("| coordinated runs | samples | median / p50 | p99 / note |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var row in await RunBenchmark.RunAsync()) Console.WriteLine(row);
    return 0;
}

static async Task<int> PerfAsync(string root, string[] rest)
{
    // bench perf <repository root> [--quick] [--only SECTION] [<postgres host> <port> <database>]
    var quick = rest.Contains("--quick");
    var only = Array.IndexOf(rest, "--only") is var at and >= 0 && at + 1 < rest.Length ? rest[at + 1] : null;
    var positional = rest.Where((a, i) => a != "--quick" && a != "--only" && (i == 0 || rest[i - 1] != "--only")).ToArray();
    var postgres = positional.Length >= 3 ? new OmniBridge.Bench.Perf.PostgresTarget(positional[0], positional[1], positional[2]) : null;
    var options = quick ? new OmniBridge.Bench.Perf.PerfOptions(5, 10, 20, postgres, only) : new OmniBridge.Bench.Perf.PerfOptions(15, 60, 300, postgres, only);
    var rows = await new OmniBridge.Bench.Perf.PerfSuite(root, options).RunAsync();
    Console.WriteLine("| measure | service | baseline (same run) | ratio | target | |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var row in rows) Console.WriteLine(row);
    Console.WriteLine();
    Console.WriteLine($"chart: bench/latency.svg; {rows.Count(r => r.Met == false)} target(s) missed");
    return rows.Any(r => r.Met == false) ? 1 : 0;
}

static async Task<int> CliAsync(string root, int rounds, string? command)
{
    var rows = await CliBenchmark.RunAsync(root, rounds, command);
    Console.WriteLine("| measure | omnibridge | baseline (same run) | ratio | target | |");
    Console.WriteLine("|---|---|---|---|---|---|");
    foreach (var row in rows) Console.WriteLine(row);
    return rows.Any(r => r.Met == false) ? 1 : 0;
}

static async Task<int> QuorumAsync()
{
    Console.WriteLine("| AI quorum over loopback HTTP | votes | median | max | target |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var row in await QuorumBenchmark.RunAsync()) Console.WriteLine(row);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bench store <postgres connection string> [stamps] | bench nodes <postgres host> <port> <database> | bench events <postgres host> <port> <database> [stamps] | bench log <postgres connection string> [stamps] [leaves] [proof callers] | bench codegen | bench codegen-events <postgres host> <port> <database> [requests] | bench runs | bench calls | bench quorum | bench patterns [queries] | bench perf <repository root> [--quick] [--only SECTION] [<postgres host> <port> <database>] | bench cli <repository root> [rounds] [installed omnibridge command]   (bench/run.sh runs them all)");
    return 2;
}
