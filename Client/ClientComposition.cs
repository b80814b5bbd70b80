using Microsoft.Extensions.Hosting;
using OmniBridge.Client.Configuration;
using Orleans.Configuration;

namespace OmniBridge.Client;

/// <summary>Connects a .NET host to an OmniBridge cluster, so that it can call the grains of Grains.Interfaces.</summary>
public static class ClientComposition
{
    /// <summary>
    /// Adds an Orleans client configured from the host's configuration: CLUSTER_ID and SERVICE_ID,
    /// and POSTGRES_* (gateways from the cluster's membership table) or GATEWAYS (a fixed list,
    /// by default 127.0.0.1:GATEWAY_PORT). Resolve <see cref="IClusterClient"/> or
    /// <see cref="IGrainFactory"/> and call the grains.
    /// </summary>
    /// <exception cref="InvalidSettingException">A setting is present but invalid.</exception>
    public static IHostApplicationBuilder AddOmniBridgeClient(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null)
    {
        var settings = ClusterSettings.From(builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            if (settings.Postgres is { } postgres)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = postgres.ConnectionString;
                });
            }
            else
            {
                client.UseStaticClustering([.. settings.Gateways]);
            }
            // Learn of new and departed silos within seconds, not the default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
            client.AddActivityPropagation();
            client.UseConnectionRetryFilter<ClusterConnectionRetry>();
            configure?.Invoke(client);
        });
        return builder;
    }
}
