using LogLossApi.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LogLossApi.Wire.Limits;

/// <summary>Endpoint metadata: this endpoint scores samples and may read bodies up to <see cref="LimitsOptions.MaxRequestBodyBytes"/>.</summary>
public sealed class ScoringEndpointMetadata
{
    public static ScoringEndpointMetadata Instance { get; } = new();
}

/// <summary>
/// Sets each request's body limit from its endpoint (large for scoring, small for everything else) and refuses a
/// declared Content-Length over it before a byte is read; Kestrel stops a chunked body at the same limit. Scoring
/// requests then reserve their body's size in the shared <see cref="BodyMemoryBudget"/> until they complete.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options, BodyMemoryBudget budget, IProblemDetailsService problems)
{
    private const int RetryAfterSeconds = 1;

    public async Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var scoring = context.GetEndpoint()?.Metadata.GetMetadata<ScoringEndpointMetadata>() is not null;
        var limit = scoring ? limits.MaxRequestBodyBytes : limits.MaxOtherRequestBodyBytes;

        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than this endpoint's limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (!scoring)
        {
            await next(context);
            return;
        }

        using var reservation = await budget.TryReserveAsync(context.Request.ContentLength ?? limit, context.RequestAborted);
        if (reservation is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Detail = "The service is busy with other large requests; retry shortly.",
                },
            });
            return;
        }

        using (RequestMemory.Open(reservation))
        {
            await next(context);
        }
    }
}

public static class RequestLimitEndpointExtensions
{
    /// <summary>Marks a scoring endpoint: large body limit, memory budget, sample metrics, and every refusal documented.</summary>
    public static RouteHandlerBuilder WithScoringLimits(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(ScoringEndpointMetadata.Instance)
            .AddEndpointFilter<ScoringMetricsFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
}
