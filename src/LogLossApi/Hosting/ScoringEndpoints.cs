using LogLossApi.Validation;
using LogLossApi.Wire.Input.Tabular;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Hosting;

public static class ScoringEndpoints
{
    /// <summary>
    /// The endpoint takes <typeparamref name="TRequest"/> as JSON (and as CSV, Arrow and Parquet when <paramref name="tabular"/>),
    /// documented for Swagger, under the scoring limits and validated by the request's validator before the handler runs.
    /// </summary>
    public static RouteHandlerBuilder AcceptsScoringBody<TRequest>(this RouteHandlerBuilder builder, bool tabular = false)
        where TRequest : class =>
        builder
            .Accepts<TRequest>("application/json", tabular ? [.. TabularReader.MediaTypes] : [])
            .WithScoringLimits()
            .WithValidation<TRequest>();
}
