using OmniBridge.Client.Configuration;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Hosting;

/// <summary><c>migrate</c>: applies the pending scripts of sql/ to the configured database, then exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var postgres = SiloSettings.From(builder.Configuration).Postgres
            ?? throw new InvalidSettingException("migrate needs a database: set POSTGRES_HOST (and POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD)");
        builder.Services.AddOmniBridgeDatabase(postgres);
        using var host = builder.Build();

        // The same migration the silo runs at start-up: it waits for the database and takes the advisory lock.
        var applied = await host.Services.GetRequiredService<SchemaMigration>().RunAsync(CancellationToken.None);
        foreach (var script in applied) await Console.Out.WriteLineAsync($"applied {script}");
        await Console.Out.WriteLineAsync($"schema of {postgres} is up to date ({MigrationScript.Embedded.Count} scripts, {applied.Count} applied now)");
        return 0;
    }
}
