using Npgsql;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Health;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains;
using OmniBridge.Grains.Ports;
using Orleans.Providers;
using Orleans.Storage;

namespace OmniBridge.Silo.Postgres;

/// <summary>Everything PostgreSQL-backed, wired to one <see cref="NpgsqlDataSource"/> (one pool per silo).</summary>
public static class PostgresComposition
{
    const string Invariant = "Npgsql";

    /// <summary>The data source, the migrator, and the schema migration that runs before the silo starts.</summary>
    /// <remarks>Call before UseOrleans: hosted services start in the order they were added.</remarks>
    public static IServiceCollection AddOmniBridgeDatabase(this IServiceCollection services, PostgresSettings settings)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<SchemaMigration>();
        services.AddHostedService(sp => sp.GetRequiredService<SchemaMigration>());
        return services;
    }

    /// <summary>Stamps, grain state, stream subscriptions and reminders in PostgreSQL.</summary>
    public static ISiloBuilder AddOmniBridgePostgresStorage(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<PostgresStampStore>();
        silo.Services.AddSingleton<IStampStore, GroupCommitStampStore>();
        silo.Services.AddSingleton<INamespaceLedger, PostgresNamespaceLedger>();
        silo.Services.AddSingleton<ITransparencyLogStore, PostgresTransparencyLog>();
        silo.Services.AddSingleton<IWorkflowJournal, PostgresWorkflowJournal>();
        silo.Services.AddSingleton<IRunSignalLog, PostgresRunSignalLog>();
        silo.Services.AddSingleton<ICodegenEventLog, PostgresCodegenEventLog>();
        silo.Services.AddSingleton<IDependencyProbe, PostgresProbe>();
        silo.Services.AddSingleton<IOutageClassifier, PostgresOutages>();
        silo.Services.AddHostedService<StoreGauges>();
        silo.AddAdoNetGrainStorage(StorageNames.Default, options => options.Configure<NpgsqlDataSource>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database;
            o.GrainStorageSerializer = new JsonGrainStateSerializer();
        }));
        // Explicit stream subscriptions (a run's signals) in the same table, with Orleans' own serializer: the pub-sub
        // state holds grain and stream identities, which only it writes and reads back.
        silo.AddAdoNetGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, options => options.Configure<NpgsqlDataSource>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database;
        }));
        // Both under the store's deadline: the provider waits for Npgsql's command timeout and takes no token.
        foreach (var name in new[] { StorageNames.Default, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME })
            silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, key) => new DeadlineGrainStorage(AdoNetGrainStorageFactory.Create(services, (string)key!)));
        silo.UseAdoNetReminderService(options => options.Configure<NpgsqlDataSource>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database;
        }));
        return silo;
    }

    /// <summary>Silos find each other through the membership table in PostgreSQL.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo) =>
        silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database;
        }));
}
