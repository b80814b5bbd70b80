using Microsoft.Extensions.Configuration;
using Npgsql;


namespace OmniBridge.Client.Configuration;

/// <summary>Where the silo keeps stamps, grain state, membership and reminders (docs/architecture.md, "Configuration", §6). Present when POSTGRES_HOST is set.</summary>
public sealed record class PostgresSettings
{
    public required string Host { get; init; }
    public int Port { get; init; } = 5432;
    public string Database { get; init; } = "omnibridge";
    public string Username { get; init; } = "postgres";
    public string? Password { get; init; }

    /// <summary>The most connections one silo opens (DATABASE_POOL_MAX_SIZE).</summary>
    public int PoolMaxSize { get; init; } = 50;

    /// <summary>Null unless POSTGRES_HOST is set; then every POSTGRES_* value is checked.</summary>
    public static PostgresSettings? From(IConfiguration config)
    {
        if (Setting.Text(config, "POSTGRES_HOST") is not { } host) return null;
        var defaults = new PostgresSettings { Host = host };
        return defaults with
        {
            Port = Setting.Port(config, "POSTGRES_PORT", defaults.Port),
            Database = Setting.Text(config, "POSTGRES_DB", defaults.Database),
            Username = Setting.Text(config, "POSTGRES_USER", defaults.Username),
            Password = config["POSTGRES_PASSWORD"] is { Length: > 0 } password ? password : null,
            PoolMaxSize = (int)Setting.WholeNumber(config, "DATABASE_POOL_MAX_SIZE", defaults.PoolMaxSize, 1, 1000, "connections"),
        };
    }

    /// <summary>
    /// The connection string: short connect and command timeouts, so a stopped database turns
    /// into a prompt 503 instead of a hung request.
    /// </summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = Username,
        Password = Password,
        MaxPoolSize = PoolMaxSize,
        Timeout = 3,
        CommandTimeout = 30,
        // Notice a dead peer on an idle pooled connection, and give up on a cancel request quickly.
        KeepAlive = 10,
        CancellationTimeout = 2000,
        ApplicationName = "omnibridge-silo",
        // The service sends a few statements over and over: each is parsed and planned once per
        // connection instead of on every call (planning was a quarter of a single stamp's time).
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
        // A connection handed back to the pool is not reset: the service sets no session state
        // (its settings are transaction-local), and the reset was five statements of work for the
        // server on every use of a pooled connection.
        NoResetOnClose = true,
    }.ConnectionString;

    /// <summary>For logs: everything but the password.</summary>
    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";
}
