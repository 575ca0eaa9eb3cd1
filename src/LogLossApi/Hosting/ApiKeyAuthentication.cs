using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LogLossApi.Hosting;

/// <summary>Optional API keys (configuration section <c>Auth</c>): off when no key is configured.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Accepted keys, sent in the <c>X-Api-Key</c> header. Empty: every /v1 endpoint is open.</summary>
    public IReadOnlyList<string> ApiKeys { get; set; } = [];

    public bool Enabled => ApiKeys.Count > 0;
}

/// <summary>Authenticates the <c>X-Api-Key</c> header against <see cref="AuthOptions.ApiKeys"/> in constant time.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    // Keys are compared as SHA-256 digests: equal lengths, so FixedTimeEquals leaks neither content nor length.
    private readonly byte[][] _digests = [.. auth.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        var index = -1;
        for (var i = 0; i < _digests.Length; i++)
        {
            // Every key is compared, so the time taken does not say which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, _digests[i]))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        // The client's identity is the key's position, never the key itself: it names the rate-limit partition.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{index}")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return Task.CompletedTask;
    }
}

internal static class ApiKeyAuthentication
{
    public const string PolicyName = "ApiClients";

    public static IServiceCollection AddLogLossAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.ApiKeys.All(k => k.Length >= 16), "Every Auth:ApiKeys entry must be at least 16 characters long.")
            .ValidateOnStart();
        if (configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.Enabled != true)
        {
            // No keys: no scheme, no policy, and the pipeline and the /v1 group skip authentication altogether.
            return services;
        }

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy =>
            policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
