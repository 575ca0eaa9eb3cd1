using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LogLossApi.Hosting;

/// <summary>A request an endpoint is warmed up with.</summary>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Body">The body.</param>
/// <param name="Query">The query string, "" or starting with "?".</param>
/// <param name="Accept">The Accept header, or null for none.</param>
/// <param name="Rounds">At most this many rounds per pass (for slow requests whose hot code runs per value, not per call).</param>
public sealed record WarmUpRequest(string ContentType, byte[] Body, string Query = "", string? Accept = null, int Rounds = int.MaxValue)
{
    /// <summary>The JSON of <typeparamref name="T"/>'s OpenAPI example.</summary>
    public static WarmUpRequest Example<T>(JsonTypeInfo<T> typeInfo)
        where T : IOpenApiExample =>
        new("application/json", JsonSerializer.SerializeToUtf8Bytes((T)T.Example, typeInfo));
}

/// <summary>
/// Endpoint metadata: the requests that take the endpoint through each of its paths, built the first time they are
/// asked for (so a process with the warm-up off, or a test host, never builds the bodies).
/// </summary>
public sealed class WarmUpMetadata(Func<IReadOnlyList<WarmUpRequest>> requests)
{
    private readonly Lazy<IReadOnlyList<WarmUpRequest>> _requests = new(requests);

    public IReadOnlyList<WarmUpRequest> Requests => _requests.Value;
}

/// <summary>Configuration section "WarmUp".</summary>
public sealed class WarmUpOptions
{
    public const string SectionName = "WarmUp";

    /// <summary>Run the warm-up before /health/ready reports ready (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each request runs per pass; two passes (default 20).</summary>
    [Range(1, 1000)]
    public int Rounds { get; set; } = 20;
}

public static class WarmUpEndpointExtensions
{
    /// <summary>Warms the endpoint up with <paramref name="requests"/> before the service reports ready.</summary>
    public static RouteHandlerBuilder WithWarmUp(this RouteHandlerBuilder builder, Func<IReadOnlyList<WarmUpRequest>> requests) =>
        builder.WithMetadata(new WarmUpMetadata(requests));
}

/// <summary>
/// A fresh process runs its first requests in code the JIT has compiled quickly, not well: the first 1M-sample request
/// took several times a warm one. Before /health/ready reports ready (so before a Kubernetes Service routes to the
/// replica), every endpoint's <see cref="WarmUpMetadata"/> requests run in-process through the endpoint's own request
/// delegate — binding, validation, the handler and the response writer, not the middleware, so no log line, metric
/// or rate-limit token is spent, but charged to the request memory budget as a request is — in two passes of <see cref="WarmUpOptions.Rounds"/>, each followed by a wait until
/// the tiered JIT has installed its optimised code (call counting, then the instrumented tier of dynamic PGO, then
/// the final one). What each choice bought is measured in docs/benchmarks.md ("Cold start").
/// </summary>
internal sealed partial class WarmUp(IServiceProvider services, BodyMemoryBudget budget, IHostApplicationLifetime lifetime, IOptions<WarmUpOptions> options, ILogger<WarmUp> logger)
    : BackgroundService, IHealthCheck
{
    // How often the JIT's work is looked at while it settles, and how long it may take at most.
    private static readonly TimeSpan SettleStep = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(20);

    // At most this many methods compiled in a step counts as quiet: what still trickles in is not the warm-up's.
    private const long QuietMethods = 2;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done.Task.IsCompleted ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Warming up."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            _done.SetResult();
            return;
        }

        // Once the application has started, its endpoints are all mapped; the server listens (/health/live answers) meanwhile.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var clock = Stopwatch.StartNew();
        var targets = services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<WarmUpMetadata>()?.Requests ?? []).Select(r => (Endpoint: e, Request: r)))
            .ToList();
        for (var pass = 0; pass < 2; pass++)
        {
            for (var round = 0; round < options.Value.Rounds; round++)
            {
                foreach (var (endpoint, request) in targets.Where(t => round < t.Request.Rounds))
                {
                    await InvokeAsync(endpoint, request, stoppingToken);
                }
            }

            await SettleAsync(stoppingToken);
        }

        // What the warm-up allocated is garbage now: collected and given back to the system before the first request.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _done.SetResult();
        var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        LogWarmedUp(targets.Count, clock.ElapsedMilliseconds, methods);
    }

    /// <summary>
    /// Waits until the JIT has installed the optimised code the warm-up asked for: the tiered JIT compiles it on a
    /// background thread after a delay, and on two cores that took seconds after the last warm-up request (a first
    /// 1M-sample CSV request right after ready took 0.9 s, five seconds later 0.14 s, the warm figure). Settled means
    /// two steps in a row with at most <see cref="QuietMethods"/> methods compiled.
    /// </summary>
    private static async Task SettleAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (quiet < 2 && clock.Elapsed < SettleLimit)
        {
            await Task.Delay(SettleStep, cancellationToken);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now - compiled <= QuietMethods ? quiet + 1 : 0;
            compiled = now;
        }
    }

    private async Task InvokeAsync(RouteEndpoint endpoint, WarmUpRequest request, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var response = new CompletingResponseFeature();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
        context.Request.QueryString = new QueryString(request.Query);
        context.Request.ContentType = request.ContentType;
        context.Request.ContentLength = request.Body.Length;
        context.Request.Body = new MemoryStream(request.Body, writable: false);
        if (request.Accept is not null)
        {
            context.Request.Headers.Accept = request.Accept;
        }

        context.Response.Body = Stream.Null;
        context.SetEndpoint(endpoint);

        // Charged to the request memory budget as a request of its size would be, so that it never competes unseen
        // with real requests for memory; when the budget has no room, this round goes without it.
        using var reservation = await budget.TryReserveAsync(request.Body.Length, cancellationToken);
        if (reservation is null)
        {
            return;
        }

        using var account = RequestMemory.Open(reservation);
        try
        {
            await endpoint.RequestDelegate!(context);
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                LogRefused(endpoint.DisplayName, request.ContentType, context.Response.StatusCode, null);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A warm-up body the endpoint refuses is a bug (a test looks for this warning), never a reason not to start.
            LogRefused(endpoint.DisplayName, request.ContentType, StatusCodes.Status400BadRequest, error);
        }
        finally
        {
            await response.CompleteAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up {Requests} request kinds in {ElapsedMs} ms ({Methods} methods compiled); ready")]
    private partial void LogWarmedUp(int requests, long elapsedMs, long methods);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up request to {Endpoint} ({ContentType}) answered {Status}")]
    private partial void LogRefused(string? endpoint, string contentType, int status, Exception? error);

    /// <summary>A response feature that runs what handlers registered for when the response completes (disposal of pooled columns).</summary>
    private sealed class CompletingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task CompleteAsync()
        {
            for (var i = _completed.Count - 1; i >= 0; i--)
            {
                await _completed[i].Callback(_completed[i].State);
            }
        }
    }
}
