namespace LogLossApi.Hosting;

/// <summary>Allowed browser origins (configuration section <c>Cors</c>): none by default, so CORS stays closed.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];
}

/// <summary>nosniff and no referrer on every response; a restrictive Content-Security-Policy on HTML pages.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // Swagger UI needs its own scripts and inline styles, nothing from elsewhere; it shows a chart response as an
    // <img> of a blob: URL made from the response it fetched.
    private const string HtmlPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                headers.ContentSecurityPolicy = HtmlPolicy;
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}

internal static class CorsSetup
{
    public const string PolicyName = "ConfiguredOrigins";

    public static IServiceCollection AddLogLossCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection(CorsOptions.SectionName).Get<CorsOptions>()?.AllowedOrigins ?? [];
        services.AddCors(cors => cors.AddPolicy(PolicyName, policy =>
        {
            if (origins.Count > 0)
            {
                policy.WithOrigins([.. origins]).WithMethods("GET", "POST").WithHeaders("Content-Type", ApiKeyAuthenticationHandler.HeaderName, "Accept");
            }
        }));
        return services;
    }
}
