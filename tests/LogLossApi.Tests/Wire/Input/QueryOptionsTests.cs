using LogLossApi.Scoring;
using LogLossApi.Wire.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LogLossApi.Tests;

/// <summary><see cref="QueryOptions"/>: only listed names, each parsed strictly, every refusal naming the parameter.</summary>
public sealed class QueryOptionsTests
{
    private static QueryOptions Of(string name, string value) =>
        new(new QueryCollection(new Dictionary<string, StringValues> { [name] = value }), ["epsilon", "unit", "bins", "includeLosses"]);

    [Fact]
    public void Listed_options_parse()
    {
        Assert.Equal(1e-7, Of("epsilon", "1e-7").Number("epsilon"));
        Assert.Equal(LossUnit.Bits, Of("unit", "bits").Unit());
        Assert.Equal(20, Of("bins", "20").WholeNumber("bins"));
        Assert.Equal(false, Of("includeLosses", "false").Boolean("includeLosses"));
        Assert.Null(Of("unit", "bits").Number("epsilon"));
    }

    [Theory]
    [InlineData("colour", "blue")]
    [InlineData("epsilon", "abc")]
    [InlineData("epsilon", "Infinity")]
    [InlineData("unit", "furlongs")]
    [InlineData("bins", "2.5")]
    [InlineData("includeLosses", "yes")]
    public void Anything_else_is_refused_naming_the_parameter(string name, string value)
    {
        var error = Assert.Throws<RequestFormatException>(() =>
        {
            var query = Of(name, value);
            _ = (query.Number("epsilon"), query.Unit(), query.WholeNumber("bins"), query.Boolean("includeLosses"));
        });

        Assert.Equal(name, error.Key);
    }
}
