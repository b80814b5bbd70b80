using Npgsql;
using OmniBridge.Silo.Hosting;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Brings the schema up to date before the silo starts (it is registered ahead of Orleans, so
/// membership, reminders and storage find their tables). A database that is still coming up is
/// waited for; a changed script stops start-up.
/// </summary>
public sealed partial class SchemaMigration(SchemaMigrator migrator, ILogger<SchemaMigration> log) : IHostedService
{
    static readonly TimeSpan WaitForDatabase = TimeSpan.FromSeconds(60);

    public Task StartAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);

    /// <summary>Applies what is pending, waiting up to a minute for the database; returns the scripts applied.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitForDatabase;
        while (true)
        {
            try
            {
                return await migrator.MigrateAsync(MigrationScript.Embedded, cancellationToken);
            }
            catch (PostgresException refused) when (refused.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                throw new StartupRefusedException($"PostgreSQL has no database of that name ({refused.MessageText}): create it, or set POSTGRES_DB", refused);
            }
            catch (PostgresException refused) when (refused.SqlState.StartsWith("28", StringComparison.Ordinal))
            {
                throw new StartupRefusedException($"PostgreSQL refused the login ({refused.MessageText}): check POSTGRES_USER and POSTGRES_PASSWORD", refused);
            }
            catch (Exception e) when (PostgresFailure.IsOutage(e))
            {
                if (DateTime.UtcNow > deadline)
                    throw new StartupRefusedException($"PostgreSQL was not reachable for {WaitForDatabase.TotalSeconds:0} s ({e.Message}); check POSTGRES_HOST, POSTGRES_PORT and the credentials", e);
                LogWaiting(log, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet ({Reason}); retrying the migration")]
    static partial void LogWaiting(ILogger logger, string reason);
}
