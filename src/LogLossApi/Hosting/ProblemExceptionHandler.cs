using System.Text.Json;
using System.Text.RegularExpressions;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LogLossApi.Hosting;

/// <summary>
/// Turns binding failures (bad JSON, wrong content type, oversized or missing body) into 4xx problem details in every
/// environment, and anything else into a logged 500 that leaks nothing.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems,
    ILogger<ProblemExceptionHandler> logger,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException error } => JsonProblem(error),
            BadHttpRequestException bad => BadRequestProblem(bad, httpContext.Request),
            RequestMemoryExhaustedException exhausted => Busy(exhausted, httpContext.Response),
            RequestFormatException format => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [format.Key] = [format.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = $"'{format.Key}': {format.Message}",
            },
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(logger, exception.GetType().Name, exception);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    private static ProblemDetails BadRequestProblem(BadHttpRequestException exception, HttpRequest request) => new()
    {
        Status = exception.StatusCode,
        Detail = exception.StatusCode switch
        {
            StatusCodes.Status400BadRequest when request.ContentLength is 0 or null && exception.InnerException is null =>
                "The request body is empty: send a JSON object.",
            StatusCodes.Status400BadRequest => "The request body could not be read.",
            StatusCodes.Status415UnsupportedMediaType when exception.Message.StartsWith("Content-Type", StringComparison.Ordinal) => exception.Message,
            StatusCodes.Status415UnsupportedMediaType => ProblemDetailsSetup.UnsupportedMediaTypeDetail(request),
            _ => exception.Message,
        },
    };

    private static ProblemDetails Busy(RequestMemoryExhaustedException exception, HttpResponse response)
    {
        response.Headers.RetryAfter = "1";
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Detail = exception.Message + " Retry shortly, or send fewer samples per request." };
    }

    private HttpValidationProblemDetails JsonProblem(JsonException exception)
    {
        var path = exception.Path ?? "$";
        var key = JsonPaths.ToKey(path) + NumberColumnConverter.ElementKeyOf(exception);
        var reason = UnknownProperty().Match(exception.Message) is { Success: true } unknown
            ? Suggest(unknown.Groups["name"].Value, unknown.Groups["type"].Value)
            : Describe(exception.Message);
        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})"
            : string.Empty;
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [key] = [reason] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this endpoint.",
            Detail = $"Invalid JSON at '{key}'{where}: {reason}",
        };
    }

    /// <summary>The serializer's message without its location suffix and with .NET type names in JSON's words.</summary>
    private static string Describe(string message)
    {
        var text = LocationSuffix().Replace(message, string.Empty);
        text = TypeSuffix().Replace(text, string.Empty);
        text = TypeName().Replace(text, match => match.Value switch
        {
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            var name when name.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "an object",
        });
        text = InvalidStart().Replace(text, match => match.Groups["c"].Value is "N" or "I" or "-"
            ? $"'{match.Groups["c"].Value}' cannot begin a JSON value: JSON has no NaN or Infinity, so send a finite number (or leave the sample out)."
            : $"'{match.Groups["c"].Value}' cannot begin a JSON value: write numbers as digits, strings in double quotes, and no comments.");
        text = TrailingComma().Replace(text, "JSON allows no comma before a closing ] or }: remove the trailing comma.");
        return text
            .Replace("could not be mapped to any .NET member", "is not a property of this request; check its spelling", StringComparison.Ordinal)
            .Replace("encountered during deserialization", "appears more than once", StringComparison.Ordinal)
            .Trim();
    }

    [GeneratedRegex(@"'(?<c>.)' is an invalid start of a value\.")]
    private static partial Regex InvalidStart();

    [GeneratedRegex(@"The JSON (array|object) contains a trailing comma at the end which is not supported in this mode\. Change the reader options\.")]
    private static partial Regex TrailingComma();

    /// <summary>
    /// An unknown property, with the properties allowed there and the closest of them: the one a scikit-learn or
    /// PyTorch name stands for (y_true → labels, sample_weight → weights), or one a letter's case or two typos away.
    /// </summary>
    private string Suggest(string name, string typeName)
    {
        var type = typeof(ProblemExceptionHandler).Assembly.GetType(typeName) ?? typeof(Scoring.LogLossState).Assembly.GetType(typeName);
        var allowed = type is null ? [] : json.Value.SerializerOptions.GetTypeInfo(type).Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).Select(p => p.Name).ToList();
        var text = $"'{name}' is not a property here";
        if (allowed.Count == 0)
        {
            return text + "; check its spelling.";
        }

        text += $"; the properties are {string.Join(", ", allowed)}.";
        var closest = Aliases.TryGetValue(name, out var alias) && allowed.Contains(alias, StringComparer.Ordinal)
            ? alias
            : allowed.Select(a => (Name: a, Distance: Quickenshtein.Levenshtein.GetDistance(name.ToLowerInvariant(), a.ToLowerInvariant()) - (string.Equals(name, a, StringComparison.OrdinalIgnoreCase) ? 1 : 0)))
                .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
                .OrderBy(c => c.Distance)
                .Select(c => c.Name)
                .FirstOrDefault();
        return closest is null ? text : $"{text} Did you mean '{closest}'?";
    }

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["y_true"] = "labels", ["y"] = "labels", ["targets"] = "labels", ["target"] = "labels",
        ["y_pred"] = "probabilities", ["y_prob"] = "probabilities", ["y_score"] = "probabilities", ["input"] = "probabilities",
        ["sample_weight"] = "weights", ["weight"] = "weights", ["eps"] = "epsilon", ["pos_weight"] = "positiveWeight",
        ["label_smoothing"] = "labelSmoothing", ["C"] = "c", ["X"] = "x", ["fit_intercept"] = "fitIntercept",
    };

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']*)'")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"\b(System|LogLossApi)\.[\w.]+(\[\])?")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"\s*Path: .*$", RegexOptions.Singleline)]
    private static partial Regex LocationSuffix();

    [GeneratedRegex(@"\s*(contained in|of) type '[^']*'")]
    private static partial Regex TypeSuffix();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} while processing the request")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, Exception exception);
}

internal static class JsonPaths
{
    /// <summary>"$.options.epsilon" → "options.epsilon", "$.labels[3]" → "labels[3]", "$" → "$" (the body itself).</summary>
    public static string ToKey(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
