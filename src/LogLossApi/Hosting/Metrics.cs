using System.Diagnostics.Metrics;
using LogLossApi.Validation;
using OpenTelemetry.Metrics;

namespace LogLossApi.Hosting;

/// <summary>The service's own instruments: samples scored and request sizes in samples, by route.</summary>
public sealed class ScoringMetrics
{
    public const string MeterName = "LogLossApi";

    private readonly Counter<long> _samples;
    private readonly Histogram<long> _requestSamples;

    public ScoringMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _samples = meter.CreateCounter<long>("loglossapi.samples.scored", unit: "{sample}", description: "Samples scored by the scoring endpoints.");
        _requestSamples = meter.CreateHistogram<long>(
            "loglossapi.request.samples",
            unit: "{sample}",
            description: "Samples per scored request.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000] });
    }

    public void Scored(string route, int samples)
    {
        var tag = new KeyValuePair<string, object?>("http.route", route);
        _samples.Add(samples, tag);
        _requestSamples.Record(samples, tag);
    }
}

/// <summary>Counts the samples of each request that a scoring endpoint answered with 200.</summary>
internal sealed class ScoringMetricsFilter(ScoringMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if ((result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }
            && SampleRequest(context.Arguments) is { } request
            && context.HttpContext.GetEndpoint() is RouteEndpoint endpoint)
        {
            metrics.Scored(endpoint.RoutePattern.RawText ?? string.Empty, request.SampleCount);
        }

        return result;
    }

    // A loop rather than OfType().FirstOrDefault(): this runs on every scored request.
    private static ISampleRequest? SampleRequest(IList<object?> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument is ISampleRequest request)
            {
                return request;
            }
        }

        return null;
    }
}

internal static class MetricsSetup
{
    /// <summary>
    /// OpenTelemetry metrics (ASP.NET Core request durations by route and status, runtime, the service's own) for
    /// Prometheus. Tracing needs no exporter here: ASP.NET Core's hosting already starts an activity for every request
    /// (logging is on), continuing an incoming W3C traceparent, and its trace id is what the problem details and the
    /// log events share.
    /// </summary>
    public static IServiceCollection AddLogLossMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ScoringMetrics>();
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(ScoringMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }
}
