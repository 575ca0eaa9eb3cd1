using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;
using LogLossApi.Wire.Numbers;

namespace LogLossApi.Tests;

/// <summary><see cref="ShortestDouble"/> writes exactly the bytes <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> writes, but 0 for −0.</summary>
public sealed class ShortestDoubleTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-300)]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    [InlineData(0.1)]
    [InlineData(0.3329114099503904)]
    [InlineData(1e-5)]
    [InlineData(1.5e-5)]
    [InlineData(9.999999999999999e-6)]
    [InlineData(0.0001)]
    [InlineData(1e14)]
    [InlineData(999999999999999)]
    [InlineData(1e15)]
    [InlineData(1e16)]
    [InlineData(123456789012345680)]
    [InlineData(9007199254740993)]
    [InlineData(5e-324)]
    [InlineData(2.2250738585072014E-308)]
    [InlineData(2.225073858507201E-308)]
    [InlineData(1.7976931348623157E+308)]
    [InlineData(-1.7976931348623157E+308)]
    [InlineData(1e23)]
    [InlineData(8.41e21)]
    [InlineData(2.0)]
    [InlineData(1024.0)]
    [InlineData(36.04365338911715)]
    public void Known_values_are_written_as_the_JSON_writer_writes_them(double value) => AssertSame(value);

    [Fact]
    public void Negative_zero_is_written_as_zero()
    {
        Span<byte> text = stackalloc byte[ShortestDouble.MaxLength];

        var length = ShortestDouble.Format(-0.0, text);

        Assert.Equal("0", Encoding.ASCII.GetString(text[..length]));
    }

    [Fact]
    public void Random_bit_patterns_are_written_as_the_JSON_writer_writes_them() =>
        Gen.Long.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite).Sample(AssertSame, iter: 1_000_000);

    [Fact]
    public void Losses_and_probabilities_are_written_as_the_JSON_writer_writes_them() =>
        Gen.Double[1e-300, 0.999999].Sample(p => { AssertSame(p); AssertSame(-Math.Log(p)); AssertSame(-Math.Log(1 - p)); }, iter: 300_000);

    [Fact]
    public void Integers_and_short_decimals_are_written_as_the_JSON_writer_writes_them() =>
        Gen.Select(Gen.Long[-10_000_000_000_000_000, 10_000_000_000_000_000], Gen.Int[0, 30]).Sample((n, scale) => AssertSame(n / Math.Pow(10, scale)), iter: 300_000);

    private static void AssertSame(double value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // The writer's −0 is "-0"; the service writes every zero as 0.
            writer.WriteNumberValue(value + 0.0);
        }

        Span<byte> text = stackalloc byte[ShortestDouble.MaxLength];
        var length = ShortestDouble.Format(value, text);

        Assert.Equal(Encoding.ASCII.GetString(buffer.WrittenSpan), Encoding.ASCII.GetString(text[..length]));
    }
}
