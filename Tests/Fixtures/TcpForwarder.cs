using System.Net;
using System.Net.Sockets;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// A loopback port that forwards to another address once <see cref="Open"/> is called; until then
/// nothing listens there and connections are refused: a broker that is not reachable yet.
/// </summary>
public sealed class TcpForwarder(string targetHost, int targetPort) : IDisposable
{
    readonly CancellationTokenSource stop = new();
    TcpListener? listener;

    public int Port { get; } = FreePort.Next();

    public void Open()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener!.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var target = new TcpClient())
        {
            try
            {
                await target.ConnectAsync(targetHost, targetPort, stop.Token);
                var a = client.GetStream();
                var b = target.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection ends.
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener?.Stop();
        stop.Dispose();
    }
}
