using System.Text.Json;
using LogLossApi.MulticlassLogLoss;
using LogLossApi.Wire.Columns;

namespace LogLossApi.Tests;

/// <summary><see cref="NumberMatrixConverter"/>: rows of one width (or one vector), ragged and mixed rows refused with the row's index.</summary>
public sealed class NumberMatrixConverterTests
{
    [Fact]
    public void Rows_are_read_row_major_and_a_flat_array_is_one_column()
    {
        using var rows = Read("""[[0.5,0.25,0.25],[0.1,0.8,0.1]]""");
        using var vector = Read("""[0.5,0.25,1]""");

        Assert.Equal((2, 3, false), (rows.Rows, rows.Columns, rows.IsVector));
        Assert.Equal([0.1, 0.8, 0.1], rows.Row(1).ToArray());
        Assert.Equal((3, 1, true), (vector.Rows, vector.Columns, vector.IsVector));
    }

    [Theory]
    [InlineData("""[[0.5,0.5],[1]]""", "[1]", "every row must have 2")]
    [InlineData("""[[0.5,0.5],1]""", "[1]", "one row")]
    [InlineData("""[[0.5,"x"]]""", "[0][1]", "not a string")]
    [InlineData("""[[0.5,0.5],[0.5,1e400]]""", "[1][1]", "beyond the range of a double")]
    public void A_ragged_or_mixed_matrix_is_refused_naming_the_row_or_the_element(string matrix, string key, string message)
    {
        var error = Assert.ThrowsAny<JsonException>(() => Read(matrix));

        Assert.Equal(key, NumberColumnConverter.ElementKeyOf(error));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static NumberMatrix Read(string matrix) =>
        JsonSerializer.Deserialize($$"""{"labels":[0],"probabilities":{{matrix}}}""", MulticlassLogLossJsonContext.Default.MulticlassLogLossRequest)!.Probabilities!;
}
