using LogLossApi.Wire;

namespace LogLossApi.Infrastructure;

public static class ScoringEndpoints
{
    /// <summary>
    /// A POST that takes <typeparamref name="TRequest"/> (JSON, and CSV and Arrow when <paramref name="tabular"/>),
    /// documented for Swagger, under the scoring limits and validated by the request's validator.
    /// </summary>
    public static RouteHandlerBuilder MapScoringPost<TRequest>(
        this IEndpointRouteBuilder routes, string pattern, Delegate handler, string tag, string name, string summary, string description, bool tabular = false)
        where TRequest : class =>
        routes.MapPost(pattern, handler)
            .WithTags(tag)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description)
            .Accepts<TRequest>("application/json", tabular ? [TabularReader.CsvMediaType, TabularReader.ArrowMediaType] : [])
            .WithScoringLimits()
            .WithValidation<TRequest>();
}
