namespace LogLossApi.Hosting;

internal static class ProblemDetailsSetup
{
    /// <summary>Every problem response, from validation, the exception handler or a bare status code, gets a detail and the trace id.</summary>
    public static IServiceCollection AddLogLossProblemDetails(this IServiceCollection services)
    {
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

    private static string DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => "No endpoint is mapped at this path; the endpoints are listed at /swagger.",
        StatusCodes.Status405MethodNotAllowed => $"This endpoint does not accept {request.Method}; see /swagger for its methods.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
        StatusCodes.Status500InternalServerError => "The server failed to process the request; quote the trace id when reporting it.",
        _ => "The request could not be processed.",
    };
}
