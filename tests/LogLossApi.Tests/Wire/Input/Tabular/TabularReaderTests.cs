using System.Text;
using System.Text.Json.Nodes;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Tests;

/// <summary><see cref="TabularReader"/>: CSV and Arrow bodies read by column ordinal in blocks, absent columns as 1, bad fields keyed by row.</summary>
public sealed class TabularReaderTests
{
    [Theory]
    [InlineData(TabularFormat.Csv)]
    [InlineData(TabularFormat.Arrow)]
    public async Task Columns_come_back_by_ordinal_in_blocks_with_an_absent_one_as_1(TabularFormat format)
    {
        const int Rows = RowBlock.Capacity + 10;
        var request = new JsonObject
        {
            ["labels"] = new JsonArray([.. Enumerable.Range(0, Rows).Select(i => JsonValue.Create((double)(i % 2)))]),
            ["probabilities"] = new JsonArray([.. Enumerable.Range(0, Rows).Select(i => JsonValue.Create(i / (double)Rows))]),
        };
        var body = format == TabularFormat.Csv ? Encoding.UTF8.GetBytes(Tabular.ToCsv(request)) : Tabular.ToArrow(request, batchRows: 1000);
        await using var reader = await TabularReader.OpenAsync(format, new MemoryStream(body), body.Length, CancellationToken.None);
        using var block = new RowBlock(3);
        var (labels, probabilities, ones) = (new List<double>(), new List<double>(), new List<double>());

        while (await reader.ReadBlockAsync(block, [1, 0, -1], CancellationToken.None))
        {
            Assert.Equal(labels.Count, block.FirstRow);
            probabilities.AddRange(block.Column(0).ToArray());
            labels.AddRange(block.Column(1).ToArray());
            ones.AddRange(block.Column(2).ToArray());
        }

        Assert.Equal(["label", "probability"], reader.Names);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (double)(i % 2)), labels);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => i / (double)Rows), probabilities);
        Assert.All(ones, v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData("label,probability\n1,0.5\n0,abc\n", "rows[1].probability")]
    [InlineData("label,probability\n1,0.5\n,0.2\n", "rows[1].label")]
    public async Task A_field_that_is_not_a_number_is_keyed_by_row_and_column(string csv, string key)
    {
        var body = Encoding.UTF8.GetBytes(csv);
        await using var reader = await TabularReader.OpenAsync(TabularFormat.Csv, new MemoryStream(body), body.Length, CancellationToken.None);
        using var block = new RowBlock(2);

        var error = await Assert.ThrowsAsync<RequestFormatException>(async () =>
        {
            while (await reader.ReadBlockAsync(block, [0, 1], CancellationToken.None))
            {
            }
        });

        Assert.Equal(key, error.Key);
    }

    [Theory]
    [InlineData("text/csv", TabularFormat.Csv)]
    [InlineData("text/csv; charset=utf-8", TabularFormat.Csv)]
    [InlineData("application/vnd.apache.arrow.stream", TabularFormat.Arrow)]
    [InlineData("application/json", null)]
    [InlineData(null, null)]
    public void The_format_comes_from_the_media_type(string? contentType, TabularFormat? format) =>
        Assert.Equal(format, TabularReader.FormatOf(contentType));
}
