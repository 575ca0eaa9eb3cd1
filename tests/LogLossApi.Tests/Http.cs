using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace LogLossApi.Tests;

internal static class Http
{
    public static async Task<(HttpStatusCode Status, string? ContentType, JsonNode? Body, HttpResponseMessage Response)> PostJson(HttpClient client, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>Asserts the RFC 9457 shape every error of the contract has, and returns the body.</summary>
    public static JsonObject AssertProblem(HttpStatusCode expected, HttpStatusCode status, string? contentType, JsonNode? body)
    {
        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", contentType);
        var problem = Assert.IsType<JsonObject>(body);
        Assert.False(string.IsNullOrWhiteSpace(problem["type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{32}$", problem["traceId"]!.GetValue<string>());
        return problem;
    }
}
