using System.ComponentModel.DataAnnotations;

namespace LogLossApi.Wire.Limits;

/// <summary>Resource limits (configuration section <c>Limits</c>); checked when the service starts.</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest request body a scoring endpoint reads, in bytes (default 256 MiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest request body any other endpoint reads, in bytes (default 64 KiB).</summary>
    [Range(0, long.MaxValue)]
    public long MaxOtherRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most samples one request may carry (default 20,000,000).</summary>
    [Range(1, int.MaxValue)]
    public int MaxSamples { get; set; } = 20_000_000;

    /// <summary>Most states one POST /v1/log-loss/merge takes; more → 413.</summary>
    [Range(1, 10_000_000)]
    public int MaxMergeStates { get; set; } = 100_000;

    /// <summary>
    /// Bytes of request bodies that may be in flight at once across all scoring requests; 0 (the default) means a
    /// quarter of the memory the process may use (its container limit, if any).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxConcurrentBodyBytes { get; set; }

    /// <summary>How long a request waits for room in <see cref="MaxConcurrentBodyBytes"/> before it gets 503.</summary>
    [Range(0, 60_000)]
    public int BodyQueueTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>How many requests may wait for room at once; more get 503 at once.</summary>
    [Range(0, 10_000)]
    public int MaxQueuedBodies { get; set; } = 16;

    /// <summary>Longest time a request may take, body upload included; then 504 (default 120 s).</summary>
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 120;
}

/// <summary>Switches for optional surfaces (configuration section <c>Features</c>).</summary>
public sealed class FeaturesOptions
{
    public const string SectionName = "Features";

    /// <summary>Serve Swagger UI at /swagger and the OpenAPI document at /swagger/v1/swagger.json (default on).</summary>
    public bool SwaggerUi { get; set; } = true;

    /// <summary>Serve the visual explainer page at / (default on).</summary>
    public bool Explainer { get; set; } = true;
}
