using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// An OTLP/HTTP endpoint on a loopback port that accepts every export and remembers the paths that carried data
/// (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>). Set <see cref="Settings"/> on a service to export there.
/// </summary>
public sealed class OtlpCollector : IDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentBag<string> received = [];

    public OtlpCollector()
    {
        Endpoint = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public string Endpoint { get; }

    /// <summary>The settings that send a service's telemetry here over OTLP/HTTP.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    /// <summary>Whether an export with a body reached <paramref name="path"/>.</summary>
    public bool Received(string path) => received.Contains(path);

    async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (context.Request.ContentLength64 > 0) received.Add(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
