using OmniBridge.Bench;

// dotnet run -c Release --project bench -- store "Host=...;Database=..."
return args switch
{
    ["store", var connectionString, ..] => await StoreBenchmark.RunAsync(connectionString, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench store <postgres connection string> [stamps]   (bench/run.sh starts a database and runs it)");
    return 2;
}
