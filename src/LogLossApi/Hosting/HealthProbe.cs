namespace LogLossApi.Hosting;

/// <summary>
/// <c>LogLossApi --probe URL</c>: exits 0 when URL answers 2xx within three seconds, 1 otherwise, and says which in one
/// line (what it asked, what came back or why nothing did). The container's HEALTHCHECK uses it because the ASP.NET
/// runtime image ships no curl or wget; podman and Docker keep the line in the health log.
/// </summary>
internal static class HealthProbe
{
    private const string Flag = "--probe";

    public static bool IsRequested(string[] args) => args.Length == 2 && args[0] == Flag;

    public static Task<int> RunAsync(string[] args) => RunAsync(args[1], Console.Out);

    /// <summary>Probes <paramref name="url"/> and writes one line about it to <paramref name="output"/>.</summary>
    internal static async Task<int> RunAsync(string url, TextWriter output)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            var healthy = response.IsSuccessStatusCode;
            await output.WriteLineAsync($"probe: GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(healthy ? "healthy" : "not healthy (a 2xx is needed)")}");
            return healthy ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            var reason = e switch
            {
                TaskCanceledException => "no answer within 3 s",
                UriFormatException => "not a URL",
                _ => e.Message,
            };
            await output.WriteLineAsync($"probe: GET {url} failed: {reason}");
            return 1;
        }
    }
}
