using FluentValidation;

namespace LogLossApi.Infrastructure;

public static class ServiceRegistration
{
    /// <summary>Options, JSON, validation, problem details, health checks and OpenAPI: everything the endpoints rely on.</summary>
    public static IServiceCollection AddLogLossApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeaturesOptions>().BindConfiguration(FeaturesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Binding failures throw in every environment, so the exception handler answers them with the same problem details.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.AddServerHeader = false);

        services.AddLogLossJson();
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddLogLossProblemDetails();
        services.AddLogLossHealthChecks();
        services.AddLogLossSwagger();
        return services;
    }

    /// <summary>Request logging outermost (it sees the final status), then errors as problem details, then limits.</summary>
    public static WebApplication UseLogLossPipeline(this WebApplication app)
    {
        app.UseLogLossRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseLogLossSwagger();
        return app;
    }
}
