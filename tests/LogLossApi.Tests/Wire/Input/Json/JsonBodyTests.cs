using System.Text;
using System.Text.Json;
using LogLossApi.BinaryLogLoss;
using LogLossApi.Wire.Input.Json;
using Microsoft.AspNetCore.Http;

namespace LogLossApi.Tests;

/// <summary><see cref="JsonBody"/>: the body read whole, failures as 400/415 with the JSON error inside, syntax errors located at their element.</summary>
public sealed class JsonBodyTests
{
    [Fact]
    public async Task A_body_is_read_into_its_request()
    {
        using var request = await Read("""{"labels":[0,1],"probabilities":[0.25,0.75]}""");

        Assert.Equal([0.25, 0.75], request.Probabilities!.Span.ToArray());
    }

    [Theory]
    [InlineData("", "application/json", 400, "empty")]
    [InlineData("null", "application/json", 400, "null")]
    [InlineData("{}", "application/x-www-form-urlencoded", 415, "send application/json")]
    public async Task Unusable_bodies_are_bad_requests(string body, string contentType, int status, string message)
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => Read(body, contentType));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Message + error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_inside_an_array_names_the_element()
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => Read("""{"labels":[0,NaN],"probabilities":[0.5,0.5]}"""));

        Assert.Equal("$.labels[1]", Assert.IsType<JsonException>(error.InnerException).Path);
    }

    private static async Task<BinaryLogLossRequest> Read(string body, string contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await JsonBody.ReadAsync(context, BinaryLogLossJsonContext.Default.BinaryLogLossRequest);
    }
}
