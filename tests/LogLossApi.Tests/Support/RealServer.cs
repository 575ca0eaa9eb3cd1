using System.Net;
using System.Net.Sockets;
using System.Text;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace LogLossApi.Tests;

/// <summary>The service on Kestrel, on a free loopback port, in Production.</summary>
public sealed class RealServer : IDisposable
{
    // WebApplicationFactory.UseKestrel registers Kestrel's services again, after the service's own: the service's
    // transport memory goes back on top, as in the published host (TransportTests checks that host's order).
    private readonly LogLossApiFactory _factory = new("Production", new Dictionary<string, string?>())
    {
        TestServices = services => services.AddSingleton<IMemoryPoolFactory<byte>, TransportMemoryPoolFactory>(),
    };

    public RealServer()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = _factory.CreateClient();
        Port = client.BaseAddress!.Port;
    }

    public int Port { get; }

    /// <summary>A client of the real server.</summary>
    public HttpClient CreateClient() => _factory.CreateClient();

    /// <summary>The running service's services.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>Writes raw bytes and reads until the server closes the connection or the time is up.</summary>
    public async Task<string> Send(string request, TimeSpan? keepOpenFor = null)
    {
        using var timeout = new CancellationTokenSource(keepOpenFor ?? TimeSpan.FromSeconds(10));
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The server answered and kept or reset the connection: what arrived is the answer.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    public void Dispose() => _factory.Dispose();
}
