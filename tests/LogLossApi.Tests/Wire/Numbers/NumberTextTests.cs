using System.Globalization;
using System.Text;
using CsCheck;
using LogLossApi.Wire.Numbers;

namespace LogLossApi.Tests;

/// <summary>
/// <see cref="NumberText"/> (csFastFloat behind JSON's grammar) gives, bit for bit, the double that double.Parse gives,
/// or refuses what overflows and what is not a JSON number.
/// </summary>
public sealed class NumberTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0e5")]
    [InlineData("1")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740992.5")]
    [InlineData("1e23")]
    [InlineData("8.98846567431158e307")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("7.2057594037927933e+16")]
    [InlineData("7.3177701707893310e+15")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("2.2250738585072014E-308")]
    [InlineData("4.9406564584124654e-324")]
    [InlineData("1e-400")]
    [InlineData("0.1")]
    [InlineData("0.12345678901234567")]
    [InlineData("12345678901234567890123")]
    [InlineData("0.000000000000000000000000000000000001234567890123456789")]
    [InlineData("123456789012345678901234567890e-30")]
    [InlineData("1.00000000000000011102230246251565404236316680908203125")]
    [InlineData("1.00000000000000011102230246251565404236316680908203124")]
    public void Tricky_numbers_parse_as_double_Parse_parses_them(string text) => AssertSame(text);

    [Theory]
    [InlineData("1.7976931348623159e308")]
    [InlineData("1e309")]
    [InlineData("-1e400")]
    public void JSON_tokens_beyond_double_range_become_infinite_as_the_reader_makes_them(string text)
    {
        Assert.True(NumberText.TryParseJsonToken(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity, value);
        Assert.False(NumberText.TryParseJsonNumber(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Every_double_written_in_several_formats_parses_back_to_itself()
    {
        string[] formats = ["R", "E16", "G17", "E3", "F20"];
        Gen.Long.Select(bits => BitConverter.Int64BitsToDouble(bits)).Where(double.IsFinite).Sample(
            value =>
            {
                foreach (var format in formats)
                {
                    var text = value.ToString(format, CultureInfo.InvariantCulture);
                    if (!text.Contains('E', StringComparison.Ordinal) || format != "F20")
                    {
                        AssertSame(text);
                    }
                }
            },
            iter: 200_000);
    }

    [Fact]
    public void Random_digit_strings_with_any_exponent_parse_as_double_Parse_parses_them()
    {
        var digits = Gen.Char['0', '9'].Array[1, 22].Select(c => new string(c));
        Gen.Select(digits, Gen.Int[0, 22], Gen.Int[-360, 330], Gen.Bool).Sample(
            (mantissa, point, exponent, negative) =>
            {
                var at = Math.Min(point, mantissa.Length);
                var text = (negative ? "-" : string.Empty) + mantissa[..at] + (at < mantissa.Length ? "." + mantissa[at..] : string.Empty) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
                if (text.StartsWith('.') || text.StartsWith("-.", StringComparison.Ordinal))
                {
                    text = text.Replace(".", "0.", StringComparison.Ordinal);
                }

                AssertSame(text);
            },
            iter: 500_000);
    }

    [Theory]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("01")]
    [InlineData("1e")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("\uFF11")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1e+")]
    [InlineData("0x10")]
    [InlineData("inf")]
    public void A_text_field_that_is_not_a_JSON_number_in_range_is_left_to_the_caller(string text)
    {
        Assert.False(NumberText.TryParseJsonNumber(text, out _));
        Assert.False(NumberText.TryParseJsonNumber(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Text_fields_that_are_JSON_numbers_parse_as_double_Parse_parses_them() =>
        Gen.Double.Where(double.IsFinite).Sample(
            value =>
            {
                foreach (var text in new[] { value.ToString("R", CultureInfo.InvariantCulture), value.ToString("E10", CultureInfo.InvariantCulture) })
                {
                    Assert.True(NumberText.TryParseJsonNumber(text, out var parsed));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(parsed));
                }
            },
            iter: 100_000);

    private static void AssertSame(string text)
    {
        var expected = double.Parse(text, CultureInfo.InvariantCulture);
        Assert.True(NumberText.TryParseJsonToken(Encoding.ASCII.GetBytes(text), out var actual));
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{text}: {expected:R} expected, {actual:R} given");
    }
}
