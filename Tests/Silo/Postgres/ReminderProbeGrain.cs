using Npgsql;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>A grain that writes down, in the test database, every time its reminder fires and on which silo.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);
}

public sealed class ReminderProbeGrain(NpgsqlDataSource database, ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public const string Table = "reminder_fires";

    public async Task StartAsync(TimeSpan period) => await this.RegisterOrUpdateReminder("probe", period, period);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await using var command = database.CreateCommand($"INSERT INTO {Table} (grain, silo) VALUES (@grain, @silo)");
        command.Parameters.AddWithValue("grain", this.GetPrimaryKeyString());
        command.Parameters.AddWithValue("silo", silo.SiloAddress.ToString());
        await command.ExecuteNonQueryAsync();
    }
}
