using System.Net;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace LogLossApi.Tests;

/// <summary>
/// Random and adversarial JSON bodies against the in-memory service: the only acceptable answers are 200 and a 4xx
/// problem+json, never a 500 and never a hang. Bounded by count and by a per-request timeout.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Executions = 1500;

    private static readonly string[] Numbers =
    [
        "0", "1", "0.5", "-0", "1e-320", "2.220446049250313e-16", "0.9999999999999999", "1e400", "-1e400", "1e308",
        "-1", "2", "\"0.5\"", "\"NaN\"", "NaN", "Infinity", "null", "true", "[]", "{}", "1.", ".5", "01", "1e", "-",
    ];

    private static readonly string[] Keys =
    [
        "labels", "probabilities", "logits", "weights", "options", "probabilites", "Labels", "", "labels\u0000", "__proto__",
    ];

    private static readonly string[] OptionKeys = ["epsilon", "unit", "positiveWeight", "labelSmoothing", "includeLosses", "eps"];

    private static readonly string[] OptionValues = ["0", "0.1", "0.5", "-1", "1", "\"bits\"", "\"nats\"", "\"furlongs\"", "true", "false", "null", "1e400", "\"0.1\""];

    private static readonly Gen<string> NumberArray =
        Gen.OneOf(Gen.Int[0, 12].SelectMany(n => Pick(Numbers).Array[n]), Gen.Double[0.0, 1.0].Array[0, 12].Select(a => a.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray()))
            .Select(items => "[" + string.Join(',', items) + "]");

    private static readonly Gen<string> Options =
        Gen.Select(Pick(OptionKeys), Pick(OptionValues)).Array[0, 4]
            .Select(pairs => "{" + string.Join(',', pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    private static readonly Gen<string> StructuredBody =
        Gen.Select(Pick(Keys), Gen.Frequency((6, NumberArray), (1, Options), (1, Pick(Numbers)))).Array[0, 6]
            .Select(fields => "{" + string.Join(',', fields.Select(f => $"\"{f.Item1}\":{f.Item2}")) + "}");

    /// <summary>A valid seed body with random bytes cut, repeated or replaced.</summary>
    private static readonly Gen<string> MutatedBody =
        Gen.Select(Gen.Int[0, 180], Gen.Int[0, 20], Gen.Char["{}[],:\"0123456789.eE-+ntfaNI \\\n"], Gen.Int[0, 2])
            .Select((at, length, c, how) =>
            {
                const string Seed = """{"labels":[0,0,1,0,1,1,1,1,1,1],"probabilities":[0.185,0.331,0.47,0.70,0.74,0.81,0.86,0.94,0.97,0.99],"options":{"unit":"bits"}}""";
                at = Math.Min(at, Seed.Length);
                length = Math.Min(length, Seed.Length - at);
                return how switch
                {
                    0 => Seed.Remove(at, length),
                    1 => Seed.Insert(at, new string(c, length + 1)),
                    _ => Seed.Remove(at, length).Insert(at, c.ToString()),
                };
            });

    private static readonly Gen<string> Deep =
        Gen.Int[1, 200].Select(depth => "{\"labels\":" + new string('[', depth) + new string(']', depth) + "}");

    private static Gen<string> Pick(string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Theory]
    [MemberData(nameof(Factories.Environments), MemberType = typeof(Factories))]
    public async Task Random_bodies_get_200_or_a_4xx_problem_and_never_a_500_or_a_hang(string environment)
    {
        var client = Factories.For(environment).CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var outcomes = new Dictionary<HttpStatusCode, int>();
        var executions = 0;

        await Gen.Frequency((4, StructuredBody), (4, MutatedBody), (1, Deep)).SampleAsync(async body =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/v1/log-loss", content);
            var status = response.StatusCode;
            lock (outcomes)
            {
                executions++;
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            }

            Assert.True(status == HttpStatusCode.OK || (int)status is >= 400 and < 500, $"{(int)status} for {body}");
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }, iter: Executions, threads: 1);

        output.WriteLine($"fuzz ({environment}): {executions} executions: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{(int)o.Key}×{o.Value}")));
        Assert.Equal(Executions, executions);
        Assert.True(outcomes.GetValueOrDefault(HttpStatusCode.BadRequest) > 0 && outcomes.GetValueOrDefault(HttpStatusCode.OK) > 0, "the generators reach both outcomes");
    }
}
