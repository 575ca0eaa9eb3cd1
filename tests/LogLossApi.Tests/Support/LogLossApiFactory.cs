using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace LogLossApi.Tests;

/// <summary>The service in memory, in Development unless told otherwise, with every log event captured.</summary>
public class LogLossApiFactory : WebApplicationFactory<Program>
{
    private readonly string _environment;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public LogLossApiFactory()
        : this("Development", new Dictionary<string, string?>())
    {
    }

    internal LogLossApiFactory(string environment, IReadOnlyDictionary<string, string?> settings)
    {
        _environment = environment;
        _settings = settings;
    }

    public CapturingSink Logs { get; } = new();

    /// <summary>Registrations applied after every other, the host's and the test server's included, if any.</summary>
    internal Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");

        // The start-up warm-up would keep /health/ready at 503 for its first seconds; WarmUpTests turns it on.
        builder.UseSetting("WarmUp:Enabled", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (TestServices is not null)
        {
            builder.ConfigureServices(TestServices);
        }

        return base.CreateHost(builder);
    }
}

/// <summary>Every Serilog event the service wrote, rendered with its properties, for asserting on what logs contain.</summary>
public sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The request log is written after the response has gone out, so a test waits for it (50 ms per attempt; 10 s by default).</summary>
    public async Task<LogEvent> WaitFor(Func<LogEvent, bool> predicate, int attempts = 200)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (_events.FirstOrDefault(predicate) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No such log event was written.");
    }

    public string RenderAll() => string.Join(
        Environment.NewLine,
        _events.Select(e => $"{e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {string.Join(' ', e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}"));
}

/// <summary>One factory per environment, shared by every test that asks for it.</summary>
public static class Factories
{
    private static readonly ConcurrentDictionary<string, LogLossApiFactory> ByEnvironment = new();

    public static LogLossApiFactory For(string environment) =>
        ByEnvironment.GetOrAdd(environment, e => new LogLossApiFactory(e, new Dictionary<string, string?>()));

    public static TheoryData<string> Environments => new("Development", "Production");
}
