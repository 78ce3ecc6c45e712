using System.Net;
using System.Net.Sockets;

namespace Integration.Testing.Internal;

/// <summary>
/// Picks TCP ports nobody listens on, by letting the kernel choose (bind to port 0). Fixed ports would collide
/// with a system RabbitMQ/PostgreSQL (Debian may have started one) and with other test assemblies running in
/// parallel. A small race remains (the port is free when we look, the server binds it a moment later): the
/// servers retry with new ports when their start fails.
/// </summary>
internal static class FreePorts
{
    // Ports already handed out by this process, so two fixtures starting at once never get the same one.
    private static readonly HashSet<int> s_handedOut = [];
    private static readonly Lock s_lock = new();

    // rabbitmqctl is itself a (hidden) Erlang node listening on a port from 35672-35682
    // (RABBITMQ_CTL_DIST_PORT_MIN/MAX defaults in rabbitmq-env), whichever fixture runs it: no server of ours
    // may take one of those ports, or concurrent rabbitmqctl calls run out of them.
    private const int CtlDistPortMin = 35672;
    private const int CtlDistPortMax = 35682;

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (s_lock)
            {
                if (port is not (>= CtlDistPortMin and <= CtlDistPortMax) && s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("Could not find a free TCP port.");
    }

    /// <summary>True when something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
