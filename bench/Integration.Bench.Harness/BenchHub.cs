using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Integration.Bench.Harness;

/// <summary>
/// The hub as its own operating-system process (the built Integration.Host.dll beside the harness, or --hub), so its
/// CPU and memory can be told apart from the broker's, the database's and the harness's. Its console log goes to a file.
/// </summary>
internal sealed class BenchHub : IAsyncDisposable
{
    private readonly Process _process;

    private BenchHub(Process process, Uri address, string logFile)
    {
        _process = process;
        Address = address;
        LogFile = logFile;
    }

    public Uri Address { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    /// <param name="hubAssembly">An Integration.Host.dll to run (e.g. a ReadyToRun publish); null: the build beside the harness.</param>
    public static async Task<BenchHub> StartAsync(string? hubAssembly, IReadOnlyDictionary<string, string> settings, string logFile)
    {
        var port = FreePort();
        var assembly = hubAssembly ?? Path.Combine(AppContext.BaseDirectory, "Integration.Host.dll");
        // sh -c exec: the hub gets the shell's pid, and its output goes straight to the file, not through a pipe the
        // harness would have to drain (which would cost the harness CPU the hub competes for).
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec dotnet \"$0\" >\"$1\" 2>&1", assembly, logFile },
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            UseShellExecute = false,
        };
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var hub = new BenchHub(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), logFile);
        using var http = new HttpClient { BaseAddress = hub.Address };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (hub._process.HasExited)
            {
                throw new InvalidOperationException($"The hub exited with {hub._process.ExitCode} while starting; see {logFile}.");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return hub;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        await hub.DisposeAsync();
        throw new TimeoutException($"The hub did not become ready in 2 minutes; see {logFile}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
