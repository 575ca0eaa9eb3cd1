using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace LogLossApi.Tests;

/// <summary>A JSON request of /v1/log-loss turned into the same rows as a CSV or Arrow body plus a query string.</summary>
internal static class Tabular
{
    public const string Csv = "text/csv";
    public const string Arrow = "application/vnd.apache.arrow.stream";

    private static readonly (string Json, string Column)[] Columns =
        [("labels", "label"), ("probabilities", "probability"), ("logits", "logit"), ("weights", "weight")];

    public static string ToCsv(JsonObject request)
    {
        var columns = Present(request);
        var text = new StringBuilder(string.Join(',', columns.Select(c => c.Column))).Append('\n');
        for (var i = 0; i < columns[0].Values.Length; i++)
        {
            text.AppendJoin(',', columns.Select(c => c.Values[i].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return text.ToString();
    }

    public static byte[] ToArrow(JsonObject request, int batchRows = int.MaxValue)
    {
        var columns = Present(request);
        var rows = columns[0].Values.Length;
        using var stream = new MemoryStream();
        Schema? schema = null;
        ArrowStreamWriter? writer = null;
        for (var start = 0; start < rows; start += batchRows)
        {
            var count = Math.Min(batchRows, rows - start);
            var builder = new RecordBatch.Builder();
            foreach (var (_, column, values) in columns)
            {
                builder.Append(column, false, array => array.Double(b => b.AppendRange(values.Skip(start).Take(count))));
            }

            using var batch = builder.Build();
            schema ??= batch.Schema;
            writer ??= new ArrowStreamWriter(stream, schema, leaveOpen: true);
            writer.WriteRecordBatch(batch);
        }

        writer!.WriteEnd();
        writer.Dispose();
        return stream.ToArray();
    }

    /// <summary>"?unit=bits&amp;epsilon=…" from the request's options (empty when it has none).</summary>
    public static string Query(JsonObject request, bool? includeLosses = null)
    {
        var pairs = (request["options"] as JsonObject ?? []).Select(p => (p.Key, Value: p.Value!.ToJsonString().Trim('"'))).ToList();
        if (includeLosses is { } include)
        {
            pairs.RemoveAll(p => p.Key == "includeLosses");
            pairs.Add(("includeLosses", include ? "true" : "false"));
        }

        return pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    public static async Task<(System.Net.HttpStatusCode Status, string? ContentType, JsonNode? Body, HttpResponseMessage Response)> Post(
        HttpClient client, string path, byte[] body, string contentType, string? accept = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (accept is not null)
        {
            message.Headers.Accept.ParseAdd(accept);
        }

        var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return (response.StatusCode, mediaType, mediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0 ? JsonNode.Parse(text) : JsonValue.Create(text), response);
    }

    private static List<(string Json, string Column, double[] Values)> Present(JsonObject request) =>
        Columns.Where(c => request[c.Json] is JsonArray)
            .Select(c => (c.Json, c.Column, request[c.Json]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()))
            .ToList();
}
