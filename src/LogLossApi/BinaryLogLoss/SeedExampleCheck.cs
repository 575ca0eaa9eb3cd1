using LogLossApi.Scoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LogLossApi.BinaryLogLoss;

/// <summary>Ready means the scoring library gives the seed's 0.33291… (a broken deployment of the maths is not ready).</summary>
internal sealed class SeedExampleCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var input = new BinaryInput(SeedExample.Labels, SeedExample.Probabilities, PredictionKind.Probabilities, default, BinaryLossOptions.Default);
        var report = BinaryCrossEntropy.Evaluate(input, default);
        return Task.FromResult(Math.Abs(report.MeanLoss - 0.3329114099503904) < 1e-12
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The seed example scored wrongly."));
    }
}
