using FluentValidation;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace LogLossApi.Hosting;

public static class ServiceRegistration
{
    /// <summary>Options, JSON, validation, problem details, access, limits, metrics, health checks and OpenAPI.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="json">Each feature's source-generated JSON metadata.</param>
    /// <param name="tags">What each OpenAPI tag the features' endpoints carry is about.</param>
    public static IServiceCollection AddLogLossApi(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver> json, IReadOnlyDictionary<string, string> tags)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeaturesOptions>().BindConfiguration(FeaturesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Binding failures throw in every environment, so the exception handler answers them with the same problem details.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.AddServerHeader = false);
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, TransportMemoryPoolFactory>();
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<LimitsOptions>>((timeouts, limits) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(limits.Value.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            });
        services.AddSingleton<BodyMemoryBudget>();

        services.AddLogLossJson(json);
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddLogLossProblemDetails();
        services.AddLogLossAuthentication(configuration);
        services.AddLogLossRateLimiting();
        services.AddLogLossCors(configuration);
        services.AddLogLossMetrics();
        services.AddLogLossSwagger(configuration, tags);
        services.AddOptions<WarmUpOptions>().BindConfiguration(WarmUpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WarmUp>();
        services.AddHostedService(s => s.GetRequiredService<WarmUp>());
        services.AddHealthChecks().AddCheck<WarmUp>("warm-up", tags: [Health.ReadyTag]);
        return services;
    }

    /// <summary>
    /// Request logging outermost (it sees the final status), then errors as problem details, security headers, CORS,
    /// authentication, rate limiting, timeouts (inside the exception handler, so a timeout is a 504 problem), body limits.
    /// Authentication and rate limiting are in the pipeline only when configured: switched off, they cost nothing.
    /// </summary>
    public static WebApplication UseLogLossPipeline(this WebApplication app)
    {
        app.UseLogLossRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors();
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        if (app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseRequestTimeouts();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseLogLossSwagger();
        if (app.Services.GetRequiredService<IOptions<FeaturesOptions>>().Value.Explainer)
        {
            // The explainer: wwwroot/index.html, app.js and app.css, no build step and nothing from outside the service.
            app.UseDefaultFiles();
            app.UseStaticFiles();
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>The /v1 group every capability maps into: API keys and rate limit (when configured), CORS.</summary>
    public static RouteGroupBuilder MapVersion1(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").RequireCors(CorsSetup.PolicyName);
        if (routes.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            group.RequireAuthorization(ApiKeyAuthentication.PolicyName);
        }

        if (routes.ServiceProvider.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled)
        {
            group.RequireRateLimiting(RateLimiting.PolicyName);
        }

        return group;
    }
}
