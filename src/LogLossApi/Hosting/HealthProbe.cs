namespace LogLossApi.Hosting;

/// <summary>
/// <c>LogLossApi --probe URL</c>: exits 0 when URL answers 2xx within three seconds, 1 otherwise. The container's
/// HEALTHCHECK uses it because the ASP.NET runtime image ships no curl or wget.
/// </summary>
internal static class HealthProbe
{
    private const string Flag = "--probe";

    public static bool IsRequested(string[] args) => args.Length == 2 && args[0] == Flag;

    public static async Task<int> RunAsync(string[] args)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(args[1]));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return 1;
        }
    }
}
