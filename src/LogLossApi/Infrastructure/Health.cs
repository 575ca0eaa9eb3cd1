using LogLossApi.BinaryLogLoss;
using LogLossApi.Scoring;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LogLossApi.Infrastructure;

/// <summary>The body of /health/live and /health/ready.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Checks">Each check's status by name (empty for liveness).</param>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks);

internal static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddLogLossHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ScoringSelfCheck>("scoring", tags: [ReadyTag]);
        return services;
    }

    /// <summary>/health/live: the process answers. /health/ready: it also scores the seed example correctly.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .WithTags("Health");
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson })
            .WithTags("Health");
        return routes;
    }

    private static Task WriteJson(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new HealthResponse(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString())),
            AppJsonContext.Default.HealthResponse);

    /// <summary>Ready means the scoring library gives the seed's 0.33291… (a broken deployment of the maths is not ready).</summary>
    private sealed class ScoringSelfCheck : IHealthCheck
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
}
