using System.Net;
using Microsoft.Extensions.Configuration;

namespace OmniBridge.Client.Configuration;

/// <summary>
/// Which cluster to join or call (docs/architecture.md, "Configuration"): its identity, and how to find its members — the
/// membership table in PostgreSQL when POSTGRES_HOST is set, else a fixed list of gateways.
/// </summary>
public sealed record class ClusterSettings
{
    public string ClusterId { get; init; } = "omnibridge";
    public string ServiceId { get; init; } = "omnibridge-orleans";

    /// <summary>Gateways of a cluster without PostgreSQL membership (GATEWAYS, host:port list); by default this machine's GATEWAY_PORT.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; init; } = [new(IPAddress.Loopback, 30000)];

    /// <summary>
    /// How long a client waits for a grain call (CLIENT_RESPONSE_TIMEOUT_SECONDS). Calls in flight on a
    /// silo that dies are answered by nobody: this bounds how long a caller waits before trying again.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The membership table's database, when POSTGRES_HOST is set.</summary>
    public PostgresSettings? Postgres { get; init; }

    public static ClusterSettings From(IConfiguration config)
    {
        var defaults = new ClusterSettings();
        var gatewayPort = Setting.Port(config, "GATEWAY_PORT", 30000);
        return new ClusterSettings
        {
            ClusterId = Setting.Checked(config, "CLUSTER_ID", defaults.ClusterId, IsIdentifier, "expected letters, digits, '.', '_' or '-'"),
            ServiceId = Setting.Checked(config, "SERVICE_ID", defaults.ServiceId, IsIdentifier, "expected letters, digits, '.', '_' or '-'"),
            Gateways = Setting.Text(config, "GATEWAYS") is { } list ? EndPoints("GATEWAYS", list) : [new IPEndPoint(IPAddress.Loopback, gatewayPort)],
            Postgres = PostgresSettings.From(config),
            ResponseTimeout = TimeSpan.FromSeconds(Setting.WholeNumber(config, "CLIENT_RESPONSE_TIMEOUT_SECONDS", 10, 1, 600, "seconds")),
        };
    }

    /// <summary>Letters, digits, '.', '_' and '-', at most 128: safe in a cluster id, a topic name, a log line.</summary>
    public static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    static IPEndPoint[] EndPoints(string name, string list) =>
        [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item =>
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(item[(colon + 1)..], out var port) || port is < 1 or > 65535)
                throw new InvalidSettingException(name, list, "expected host:port[,host:port...]");
            var host = item[..colon].Trim('[', ']');
            if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
            try
            {
                return new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily is System.Net.Sockets.AddressFamily.InterNetwork), port);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
            {
                throw new InvalidSettingException(name, list, $"{host} does not resolve to an IPv4 address");
            }
        })];
}
