using System.Globalization;
using System.Text;
using System.Text.Json;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Tests;

/// <summary><see cref="NumberTokens"/>: token text kept as the reader meets it, converted chunk by chunk on the pool (or by the caller), memory charged and released.</summary>
public sealed class NumberTokensTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(32 * 1024)]
    [InlineData((32 * 1024) + 1)]
    [InlineData(70_000)]
    public void Tokens_convert_into_the_column_after_the_offset_as_double_Parse_gives(int count)
    {
        var random = new Random(count);
        var texts = Enumerable.Range(0, count).Select(_ => (random.NextDouble() * Math.Pow(10, random.Next(-20, 20))).ToString("R", CultureInfo.InvariantCulture)).ToArray();
        var account = new NumberColumnBuilderTests.CountingAccount();
        using (RequestMemory.Open(account))
        {
            using var tokens = new NumberTokens();
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("[" + string.Join(",", texts) + "]"));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                tokens.Add(in reader);
            }

            using var column = NumberColumn.Allocate(count + 3);
            column.WritableSpan[..3].Fill(-1);

            tokens.CopyTo(column.WritableSpan[3..]);

            Assert.Equal(count, tokens.Count);
            Assert.True(account.Charged > 0);
            Assert.Equal([-1.0, -1.0, -1.0], column.Span[..3].ToArray());
            Assert.Equal(texts.Select(t => double.Parse(t, CultureInfo.InvariantCulture)), column.Span[3..].ToArray());
        }

        Assert.Equal(0, account.Charged);
    }
}
