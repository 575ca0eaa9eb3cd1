using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace LogLossApi.Hosting;

internal static class Logging
{
    /// <summary>Readable lines for Development; the trace id ends a line only when there is one (<see cref="TraceSuffixEnricher"/>).</summary>
    internal const string DevelopmentTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{TraceSuffix:l}{NewLine}{Exception}";

    /// <summary>Serilog from the Serilog section: levels from configuration, JSON lines outside Development.</summary>
    public static WebApplicationBuilder AddLogLossLogging(this WebApplicationBuilder builder)
    {
        // The host's own logger, not the static Log.Logger: hosts in one process (tests) must not share a sink.
        builder.Services.AddSerilog((services, logger) => Configure(logger, services, builder), preserveStaticLogger: true);
        return builder;
    }

    private static void Configure(LoggerConfiguration logger, IServiceProvider services, WebApplicationBuilder builder)
    {
        logger.ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext();
        if (builder.Environment.IsDevelopment())
        {
            logger.Enrich.With<TraceSuffixEnricher>();
            logger.WriteTo.Console(outputTemplate: DevelopmentTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        }
    }

    /// <summary>One event per request: method, route path, status and time; never the body or the query string.</summary>
    public static IApplicationBuilder UseLogLossRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        });

    /// <summary>" trace=&lt;id&gt;" for an event inside a traced activity (a request), nothing outside one (start-up, warm-up).</summary>
    internal sealed class TraceSuffixEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("TraceSuffix", logEvent.TraceId is { } id ? $" trace={id}" : string.Empty));
    }
}
