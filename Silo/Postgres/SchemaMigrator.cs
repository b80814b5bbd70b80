using Npgsql;
using OmniBridge.Silo.Hosting;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Applies the pending scripts of sql/ in order, each in its own transaction, and records each
/// with its checksum. A PostgreSQL advisory lock makes silos that start together take turns; the
/// lock is the session's, so a silo that dies while migrating releases it.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource database, ILogger<SchemaMigrator> log)
{
    // Any fixed 64-bit key works; this one spells "OmniBrdg".
    const long LockKey = 0x4F6D6E6942726467;

    /// <summary>Applies what is pending; returns the names of the scripts it applied.</summary>
    /// <exception cref="SchemaDriftException">An applied script no longer matches its checksum.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS omnibridge_schema_migrations
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   char(64)    NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await AppliedAsync(connection, cancellationToken);
            var changed = scripts.FirstOrDefault(s => applied.TryGetValue(s.Version, out var checksum) && checksum != s.Checksum);
            if (changed is not null)
            {
                throw new SchemaDriftException(
                    $"Migration {changed.Name} was applied with checksum {applied[changed.Version]} but is now {changed.Checksum}: " +
                    "applied scripts must not change; put the change in a new numbered script");
            }

            if (applied.Keys.Except(scripts.Select(s => s.Version)).ToList() is { Count: > 0 } unknown)
            {
                // A newer silo migrated this database (a rollback, or mixed versions during a deploy).
                // Migrations only add, so this silo can still run; say so, once.
                LogNewerSchema(log, string.Join(", ", unknown.Order()));
            }

            var done = new List<string>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await ExecuteAsync(connection, script.Sql, cancellationToken);
                }
                catch (PostgresException failed)
                {
                    throw new StartupRefusedException($"Migration {script.Name} failed and was rolled back: {failed.SqlState} {failed.MessageText}", failed);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO omnibridge_schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection))
                {
                    record.Parameters.AddWithValue("version", script.Version);
                    record.Parameters.AddWithValue("name", script.Name);
                    record.Parameters.AddWithValue("checksum", script.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                LogApplied(log, script.Name);
                done.Add(script.Name);
            }
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM omnibridge_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migrations this silo does not know ({Versions}): a newer silo applied them")]
    static partial void LogNewerSchema(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script}")]
    static partial void LogApplied(ILogger logger, string script);
}
