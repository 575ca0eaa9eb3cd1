using LogLossApi.Hosting;

namespace LogLossApi.Tests;

/// <summary>The container's health probe says what it checked and why it failed.</summary>
public sealed class HealthProbeTests(RealServer server) : IClassFixture<RealServer>
{
    [Theory]
    [InlineData("/health/live", 0, "answered 200 OK: healthy")]
    [InlineData("/nothing-here", 1, "answered 404 Not Found: not healthy")]
    public async Task A_probe_of_the_running_service_says_what_came_back(string path, int exitCode, string says)
    {
        using var output = new StringWriter();

        var code = await HealthProbe.RunAsync($"http://127.0.0.1:{server.Port}{path}", output);

        Assert.Equal(exitCode, code);
        Assert.Contains($"GET http://127.0.0.1:{server.Port}{path} {says}", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/health/live", "failed: ")]
    [InlineData("not a url", "failed: not a URL")]
    public async Task A_probe_that_gets_no_answer_says_why(string url, string says)
    {
        using var output = new StringWriter();

        Assert.Equal(1, await HealthProbe.RunAsync(url, output));
        Assert.Contains(says, output.ToString(), StringComparison.Ordinal);
    }
}
