using System.Net;
using System.Text;

namespace LogLossApi.Tests;

/// <summary>Every problem says its charset, whichever writer made it: validation, the exception handler, a bare status, a non-JSON Accept.</summary>
public sealed class ProblemCharsetTests
{
    public static TheoryData<string, string, string, string?, HttpStatusCode> Problems() => new()
    {
        { "POST", "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.2,7]}""", null, HttpStatusCode.BadRequest },
        { "POST", "/v1/log-loss", """{"labels":[0,1],""", null, HttpStatusCode.BadRequest },
        { "GET", "/v1/nothing-here", "", null, HttpStatusCode.NotFound },
        { "POST", "/v1/log-loss", """{"labels":[0,1],"probabilities":[0.2,7]}""", "text/csv", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task A_problem_is_utf8_problem_json(string method, string path, string body, string? accept, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await Factories.For("Production").CreateClient().SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }
}
