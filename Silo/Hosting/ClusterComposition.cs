using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Postgres;
using Orleans.Configuration;

namespace OmniBridge.Silo.Hosting;

/// <summary>How a silo finds its cluster: the membership table on PostgreSQL, or alone on localhost.</summary>
public static class ClusterComposition
{
    /// <summary>PostgreSQL membership when configured; otherwise one silo on localhost.</summary>
    public static ISiloBuilder AddOmniBridgeClustering(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.SiloName is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = settings.DirectoryCacheSize);
        if (settings.Postgres is null)
        {
            return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }
        // Listen on every interface; advertise ADVERTISED_IP (or POD_IP), else this host's address.
        if (settings.AdvertisedIp is { } advertised) silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        else silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        // A joining silo first pings every member that wrote "I am alive" lately. Writing it every
        // 5 s (not every 5 min), two misses allowed, means a crashed silo stops holding up its
        // replacement after about 10 s.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            o.NumMissedTableIAmAliveLimit = 2;
        });
        return silo.UsePostgresClustering();
    }
}
