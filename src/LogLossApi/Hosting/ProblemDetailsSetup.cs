using Microsoft.AspNetCore.Http.Metadata;

namespace LogLossApi.Hosting;

internal static class ProblemDetailsSetup
{
    /// <summary>Every problem response, from validation, the exception handler or a bare status code, gets a detail and the trace id.</summary>
    public static IServiceCollection AddLogLossProblemDetails(this IServiceCollection services)
    {
        // Ahead of the framework's writer, which declines when the Accept header names no JSON type (a client asking for
        // text/csv or image/png) and leaves the problem to be written without the trace id.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["traceId"] = TraceIds.For(context.HttpContext);
            problem.Detail ??= DefaultDetail(problem.Status, context.HttpContext.Request);
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://tools.ietf.org/html/rfc6585#section-4"
                : "about:blank";
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>Every problem's media type, with its charset (the framework's writers name the media type only).</summary>
    public const string ProblemMediaType = "application/problem+json; charset=utf-8";

    /// <summary>
    /// What was sent and every body type the endpoints at this path take (a 415 from routing has no endpoint of its
    /// own to ask): a form, as an HTML form or <c>curl -d</c> without a Content-Type sends, is told all of them.
    /// </summary>
    internal static string UnsupportedMediaTypeDetail(HttpRequest request)
    {
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        var types = request.HttpContext.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => string.Equals(e.RoutePattern.RawText?.Replace("//", "/", StringComparison.Ordinal).TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var sent = string.IsNullOrEmpty(request.ContentType) ? "A body without a Content-Type" : $"Content-Type '{request.ContentType}'";
        return types.Count == 0
            ? $"{sent} is not supported here."
            : $"{sent} is not supported here: send {string.Join(", ", types.SkipLast(1))}{(types.Count > 1 ? " or " : "")}{types[^1]}.";
    }

    private static string DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => "No endpoint is mapped at this path; the endpoints are listed at /swagger.",
        StatusCodes.Status405MethodNotAllowed => $"This endpoint does not accept {request.Method}; see /swagger for its methods.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaTypeDetail(request),
        StatusCodes.Status500InternalServerError => "The server failed to process the request; quote the trace id when reporting it.",
        _ => "The request could not be processed.",
    };
}

/// <summary>
/// Writes every problem as <c>application/problem+json; charset=utf-8</c>, customized as all problems are, whatever the
/// Accept header names (text/csv, image/png): the framework's writer declines those, and the problem would lose its
/// trace id; and it names no charset.
/// </summary>
internal sealed class ProblemJsonWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(problem.Status ?? context.HttpContext.Response.StatusCode);
        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, typeInfo, ProblemDetailsSetup.ProblemMediaType, context.HttpContext.RequestAborted));
    }
}

