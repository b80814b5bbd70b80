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
    }, args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20_000),
    ["codegen"] => await CodegenAsync(),
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

static int Usage()
{
    Console.Error.WriteLine("usage: bench store <postgres connection string> [stamps] | bench nodes <postgres host> <port> <database> | bench events <postgres host> <port> <database> [stamps] | bench codegen   (bench/run.sh runs them all)");
    return 2;
}
