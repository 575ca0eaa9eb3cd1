using System.Diagnostics;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>
/// The Python example of docs/python.md (examples/python/score_with_requests.py, with Debian's python3-requests) run
/// against the service on a real port: JSON, CSV, two states merged, and an error; it checks its own answers and exits 1
/// on any surprise, and its output is the one the page shows.
/// </summary>
public sealed class PythonExampleTests(RealServer server) : IClassFixture<RealServer>
{
    [Fact]
    public async Task The_requests_example_runs_and_prints_what_the_page_shows()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { Path.Combine(Fixtures.RepositoryRoot, "examples", "python", "score_with_requests.py"), "--service", $"http://127.0.0.1:{server.Port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var example = Process.Start(start)!;
        var output = await example.StandardOutput.ReadToEndAsync();
        var errors = await example.StandardError.ReadToEndAsync();
        await example.WaitForExitAsync();

        Assert.True(example.ExitCode == 0, $"{output}\n{errors}");
        var page = await File.ReadAllTextAsync(Path.Combine(Fixtures.RepositoryRoot, "docs", "python.md"));
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(line.Trim(), page, StringComparison.Ordinal));
    }
}
