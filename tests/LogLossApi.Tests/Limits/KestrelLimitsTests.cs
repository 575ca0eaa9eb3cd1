namespace LogLossApi.Tests;

/// <summary>
/// Kestrel's own protective limits, on a real socket (the in-memory test server has none): header size (431),
/// request-line length (414) and the minimum body data rate for slow clients (408). The service leaves them at
/// their defaults; these tests fail if a change loosens them.
/// </summary>
public sealed class KestrelLimitsTests : IClassFixture<RealServer>
{
    private readonly RealServer _server;

    public KestrelLimitsTests(RealServer server) => _server = server;

    [Fact]
    public async Task Headers_over_32_KiB_get_431()
    {
        var response = await _server.Send($"GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: {new string('a', 40 * 1024)}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_line_over_8_KiB_gets_414()
    {
        var response = await _server.Send($"GET /health/live?{new string('q', 9 * 1024)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 414 ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_sends_its_body_too_slowly_gets_408_problem()
    {
        // 20 bytes of a promised 100,000, then silence: below 240 bytes/s once the 5 s grace period is over.
        var response = await _server.Send(
            "POST /v1/log-loss HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"labels\":[0,1,0,1,",
            keepOpenFor: TimeSpan.FromSeconds(20));

        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":408", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_carry_no_server_header()
    {
        var response = await _server.Send("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nServer:", response, StringComparison.OrdinalIgnoreCase);
    }
}
