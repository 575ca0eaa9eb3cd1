using System.Diagnostics;
using System.Text.Json.Nodes;
using LogLossApi.Testing;

namespace LogLossApi.Tests;

/// <summary>
/// The Dask example (examples/dask/score_with_dask.py) run for real: a distributed.LocalCluster of two worker processes
/// scores a million seeded rows in eight CSV partitions, round-robin over two replicas of the service on loopback, and
/// merges the states flat and as a tree. Both merged reports equal one request over all the rows to 1e-12 for binary,
/// multiclass and compare; calibration's keep the documented bounds. Needs Debian's python3-dask and
/// python3-distributed (.ci/run installs them).
/// </summary>
public sealed class DaskJobTests : IDisposable
{
    private readonly RealServer _first = new();
    private readonly RealServer _second = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("loglossapi-dask-").FullName;

    [Fact]
    public async Task A_real_dask_job_merges_to_one_request_over_all_rows()
    {
        var output = Path.Combine(_directory, "result.json");
        var script = Path.Combine(Fixtures.RepositoryRoot, "examples", "dask", "score_with_dask.py");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { script, "--services", $"http://127.0.0.1:{_first.Port},http://127.0.0.1:{_second.Port}", "--rows", "1000000", "--data", Path.Combine(_directory, "data"), "--out", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var job = Process.Start(start)!;
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await job.WaitForExitAsync(timeout.Token);
        Assert.True(job.ExitCode == 0, $"the Dask job failed ({job.ExitCode}):\n{await stdout}\n{await stderr}");

        var result = JsonNode.Parse(await File.ReadAllTextAsync(output))!["kinds"]!.AsObject();
        Assert.Equal(["binary", "multiclass", "compare", "calibration"], result.Select(k => k.Key));
        foreach (var (kind, figures) in result)
        {
            var whole = figures!["whole"]!;
            foreach (var name in new[] { "flat", "tree" })
            {
                var merged = figures[name]!.DeepClone().AsObject();
                Assert.Equal(kind, merged["state"]!["kind"]!.GetValue<string>());
                merged.Remove("state");
                if (kind == "calibration")
                {
                    AssertWithinCalibrationBounds(whole, merged);
                }
                else
                {
                    Assert.Empty(JsonComparison.Differences(whole, merged, 1e-12, 1e-15));
                }
            }
        }
    }

    /// <summary>The exact figures exact (1e-12), miscalibration and discrimination at most the exact ones.</summary>
    private static void AssertWithinCalibrationBounds(JsonNode exact, JsonObject merged)
    {
        Assert.True(merged["approximate"]!.GetValue<bool>());
        Assert.Equal(10_000, merged["bucketCount"]!.GetValue<int>());
        Assert.Equal(exact["meanLoss"]!.GetValue<double>(), merged["meanLoss"]!.GetValue<double>(), 1e-12);
        Assert.Equal(exact["decomposition"]!["uncertainty"]!.GetValue<double>(), merged["decomposition"]!["uncertainty"]!.GetValue<double>(), 1e-12);
        Assert.Empty(JsonComparison.Differences(exact["bins"]!, merged["bins"]!, 1e-12, 1e-15));
        foreach (var term in new[] { "miscalibration", "discrimination" })
        {
            Assert.True(merged["decomposition"]![term]!.GetValue<double>() <= exact["decomposition"]![term]!.GetValue<double>() + 1e-12, term);
        }
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
