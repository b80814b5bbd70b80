using System.Net;
using System.Net.Sockets;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// Loopback TCP ports for the silos, gateways and servers the tests start, each handed out once per
/// test run.
/// </summary>
/// <remarks>
/// A port taken from the kernel (bind to 0, then release) lies in its ephemeral range, where any
/// outgoing connection of the busy test process may take it as its local port before the silo binds
/// it. These come from 10000 to 22299 instead: below the ephemeral range (32768 and up on Linux) and
/// below the ports Orleans' test host takes for its clusters (22300 and up). A counter makes them
/// unique within the run; the start moves with the process id so that two runs on one machine rarely
/// meet, and a port somebody else holds is skipped.
/// </remarks>
public static class FreePort
{
    const int First = 10_000;
    const int Last = 22_299;
    static int next = First + Environment.ProcessId * 97 % (Last - First);

    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref next) - First) % (Last - First + 1);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
