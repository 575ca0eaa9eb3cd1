using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LogLossApi.Infrastructure;

/// <summary>Endpoint metadata: this endpoint scores samples and may read bodies up to <see cref="LimitsOptions.MaxRequestBodyBytes"/>.</summary>
public sealed class ScoringEndpointMetadata
{
    public static ScoringEndpointMetadata Instance { get; } = new();
}

/// <summary>
/// Sets each request's body limit from its endpoint (large for scoring, small for everything else) and refuses a
/// declared Content-Length over it before a byte is read; Kestrel stops a chunked body at the same limit.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<ScoringEndpointMetadata>() is null
            ? limits.MaxOtherRequestBodyBytes
            : limits.MaxRequestBodyBytes;

        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than this endpoint's limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}

public static class RequestLimitEndpointExtensions
{
    /// <summary>Marks a scoring endpoint: large body limit, sample limit, and 413/415 documented.</summary>
    public static RouteHandlerBuilder WithScoringLimits(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(ScoringEndpointMetadata.Instance)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
