using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Tests.Fixtures;

/// <summary>A fresh database with the service's schema applied, on the shared test server (or on a given one).</summary>
public class PostgresDatabase : IAsyncLifetime, IAsyncDisposable
{
    PostgresServer? server;

    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];
    public NpgsqlDataSource Data { get; private set; } = null!;
    public PostgresServer Server => server!;

    /// <summary>The settings a silo needs to use this database (docs/architecture.md, "Configuration" names).</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["POSTGRES_HOST"] = "127.0.0.1",
        ["POSTGRES_PORT"] = Server.Port.ToString(CultureInfo.InvariantCulture),
        ["POSTGRES_DB"] = Name,
        ["POSTGRES_USER"] = "postgres",
        ["ADVERTISED_IP"] = "127.0.0.1",
    };

    /// <summary>Whether to apply the schema on creation (migration tests start from nothing).</summary>
    protected virtual bool Migrate => true;

    protected virtual Task<PostgresServer> ServerAsync() => PostgresServer.Shared;

    /// <summary>A database of its own for one test, created and migrated (dispose it at the test's end).</summary>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        server = await ServerAsync();
        await using (var admin = NpgsqlDataSource.Create(server.ConnectionString("postgres")))
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE {Name}");
            await create.ExecuteNonQueryAsync();
        }
        Data = NpgsqlDataSource.Create(server.ConnectionString(Name));
        if (Migrate) await new SchemaMigrator(Data, NullLogger<SchemaMigrator>.Instance).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Data.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement that answers nothing (a test's own table, say).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = Data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Rows of <paramref name="table"/> read so far (by scans and index lookups, pg_stat_user_tables), once the counters
    /// exceed <paramref name="moreThan"/> and stand still. A backend reports its reads when it ends (idle, it may hold
    /// them up to 10 s), so the pool's idle connections are closed first. What a statement reads, counted, not timed.
    /// </summary>
    public async Task<long> SettledReadsAsync(string table, long moreThan = -1)
    {
        Data.Clear();
        var reads = $"SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = '{table}'";
        var (last, stable) = (-1L, 0);
        await Eventually.TrueAsync(async () =>
        {
            await Task.Delay(500);
            var now = await ScalarAsync<long>(reads);
            stable = now == last && now > moreThan ? stable + 1 : 0;
            last = now;
            return stable >= 3;
        }, $"the read counters of {table} stand still", TimeSpan.FromSeconds(60));
        return last;
    }

    public virtual async Task DisposeAsync()
    {
        await Data.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A service on PostgreSQL: the silo as <c>dotnet run --project Silo</c> runs it with POSTGRES_HOST set.</summary>
public class PostgresService : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();
    public SiloApp Silo { get; private set; } = null!;

    /// <summary>Replaces services after the silo's own registrations.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>Settings on top of the database's.</summary>
    public virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Silo = new ConfiguredSilo(new Dictionary<string, string>(Database.Settings.Concat(ExtraSettings)), ConfigureServices);
        await Silo.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Database.DisposeAsync();
    }
}
