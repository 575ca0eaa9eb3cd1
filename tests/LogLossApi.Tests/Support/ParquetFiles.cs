using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;

namespace LogLossApi.Tests;

/// <summary>
/// Parquet files written by Parquet.Net, a fully managed implementation independent of the service's reader
/// (ParquetSharp, over Apache Parquet C++), so that the tests do not only read what the reader's own library writes.
/// </summary>
internal static class ParquetFiles
{
    /// <summary>A column of values of one CLR type (double, float, int, long, sbyte, bool, or their nullable forms).</summary>
    public sealed record Column(DataField Field, Func<ParquetRowGroupWriter, int, int, Task> Write);

    public static Column Of<T>(string name, T[] values)
        where T : struct
    {
        var field = new DataField<T>(name);
        return new(field, (group, start, count) => group.WriteAsync<T>(field, values.AsMemory(start, count)));
    }

    public static Column OfNullable<T>(string name, T?[] values)
        where T : struct
    {
        var field = new DataField<T?>(name);
        return new(field, (group, start, count) => group.WriteAsync<T>(field, values.AsMemory(start, count)));
    }

    /// <summary>The columns, <paramref name="rows"/> long, in row groups of <paramref name="groupRows"/> rows.</summary>
    public static async Task<byte[]> Write(int rows, int groupRows, params Column[] columns)
    {
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field)), stream))
        {
            for (var start = 0; start < rows; start += groupRows)
            {
                var count = Math.Min(groupRows, rows - start);
                using var group = writer.CreateRowGroup();
                foreach (var column in columns)
                {
                    await column.Write(group, start, count);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>A JSON request of /v1/log-loss (or calibration) as the same rows in a Parquet file of float64 columns.</summary>
    public static Task<byte[]> FromRequest(JsonObject request, int groupRows = 3)
    {
        var columns = new List<Column>();
        foreach (var (json, column) in new[] { ("labels", "label"), ("probabilities", "probability"), ("logits", "logit"), ("weights", "weight") })
        {
            if (request[json] is JsonArray values)
            {
                columns.Add(Of(column, values.Select(v => v!.GetValue<double>()).ToArray()));
            }
        }

        return Write(request["labels"]!.AsArray().Count, groupRows, [.. columns]);
    }
}
