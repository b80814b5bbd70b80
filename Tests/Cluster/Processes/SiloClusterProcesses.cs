using System.Globalization;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster.Processes;

/// <summary>
/// The scaled-out topology on loopback: PostgreSQL, silo processes of one cluster (three by
/// default, each on its own ports, each serving the API itself) and, unless told otherwise, the
/// standalone API process calling them, found through the membership table; every process gets
/// <c>settings</c> besides the database's.
/// </summary>
public sealed class SiloClusterProcesses(int silos = 3, bool standaloneApi = true, IReadOnlyDictionary<string, string>? settings = null) : IAsyncLifetime
{
    public const int Active = 3;
    public const int Dead = 6;

    readonly string clusterId = "procs-" + Guid.NewGuid().ToString("N")[..8];

    public PostgresDatabase Database { get; } = new();
    public List<(ServiceProcess Process, int SiloPort)> Silos { get; } = [];
    public ServiceProcess Api { get; private set; } = null!;

    Dictionary<string, string> Settings
    {
        get
        {
            var all = new Dictionary<string, string>(Database.Settings) { ["CLUSTER_ID"] = clusterId, ["LOG_LEVEL"] = "WARNING" };
            foreach (var (name, value) in settings ?? new Dictionary<string, string>()) all[name] = value;
            return all;
        }
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // The first silo applies the schema; the others join it.
        Silos.Add(await StartSiloAsync());
        Silos.AddRange(await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(_ => StartSiloAsync())));
        if (standaloneApi) Api = await ServiceProcess.StartReadyAsync(Settings, program: ServiceProcess.Api);
        await Eventually.TrueAsync(async () => await CountAsync(Active) == silos, $"{silos} silos are active", TimeSpan.FromSeconds(60));
    }

    async Task<(ServiceProcess, int)> StartSiloAsync()
    {
        var siloPort = FreePort.Next();
        var settings = Settings;
        settings["SILO_PORT"] = siloPort.ToString(CultureInfo.InvariantCulture);
        return (await ServiceProcess.StartReadyAsync(settings), siloPort);
    }

    /// <summary>Silos of this cluster in the membership table with <paramref name="status"/>.</summary>
    public Task<long> CountAsync(int status) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = {status}");

    /// <summary>The membership status of the silo listening on <paramref name="siloPort"/>.</summary>
    public Task<int> StatusAsync(int siloPort) =>
        Database.ScalarAsync<int>($"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Port = {siloPort} ORDER BY Generation DESC LIMIT 1");

    public async Task DisposeAsync()
    {
        if (Api is not null) await Api.DisposeAsync();
        foreach (var (silo, _) in Silos) await silo.DisposeAsync();
        await Database.DisposeAsync();
    }
}
