using System.Diagnostics;
using LogLossApi.Hosting;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace LogLossApi.Tests;

/// <summary>Development's readable log lines end in the trace id when there is one, and in nothing when there is none.</summary>
public sealed class LoggingTests
{
    [Fact]
    public void A_line_inside_a_request_ends_in_its_trace_id_and_one_outside_ends_in_its_message()
    {
        var trace = ActivityTraceId.CreateRandom();
        var inside = Render(trace);
        var outside = Render(null);

        Assert.EndsWith($"Warmed up trace={trace}", inside.TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("Warmed up", outside.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("trace=", outside, StringComparison.Ordinal);
    }

    private static string Render(ActivityTraceId? trace)
    {
        var template = new MessageTemplateParser().Parse("Warmed up");
        var logEvent = trace is { } id
            ? new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, template, [], id, ActivitySpanId.CreateRandom())
            : new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, template, []);
        new Logging.TraceSuffixEnricher().Enrich(logEvent, new PropertyFactory());
        using var writer = new StringWriter();
        new MessageTemplateTextFormatter(Logging.DevelopmentTemplate, System.Globalization.CultureInfo.InvariantCulture).Format(logEvent, writer);
        return writer.ToString();
    }

    private sealed class PropertyFactory : Serilog.Core.ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) => new(name, new ScalarValue(value));
    }
}
