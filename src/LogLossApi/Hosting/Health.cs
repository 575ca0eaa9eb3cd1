using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LogLossApi.Hosting;

/// <summary>The body of /health/live and /health/ready.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Checks">Each check's status by name (empty for liveness).</param>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks);

internal static class Health
{
    /// <summary>The tag of the checks /health/ready runs; the features register theirs with it.</summary>
    public const string ReadyTag = "ready";

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
            HostingJsonContext.Default.HealthResponse);
}
