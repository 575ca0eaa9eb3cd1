using CsCheck;
using LogLossApi.Validation;

namespace LogLossApi.Tests;

/// <summary>The array rules' vectorised bounds check never changes which values are reported, or with what message.</summary>
public sealed class ArrayRulesTests
{
    // Boundaries, their neighbours, signed zeros, infinities, NaN and ordinary values, so arrays often hold a bad one.
    private static readonly double[] Special = [0.0, -0.0, 1.0, Math.BitDecrement(0.0), Math.BitIncrement(1.0), double.MaxValue, -double.MaxValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN];

    private static readonly Gen<double> Values = Gen.OneOf(Gen.Int[0, Special.Length - 1].Select(i => Special[i]), Gen.Double[0.0, 1.0], Gen.Double);

    public static TheoryData<string> Rules => new(nameof(ArrayRules.FiniteInUnitInterval), nameof(ArrayRules.Finite), nameof(ArrayRules.FiniteNonNegative));

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_reports_exactly_the_values_the_rule_has_a_message_for(string name)
    {
        var rule = name switch
        {
            nameof(ArrayRules.FiniteInUnitInterval) => ArrayRules.FiniteInUnitInterval,
            nameof(ArrayRules.Finite) => ArrayRules.Finite,
            _ => ArrayRules.FiniteNonNegative,
        };

        Gen.Frequency((1, Values.Array[0, 40]), (3, Gen.Double[0.0, 1.0].Array[1, 40])).Sample(values =>
        {
            var reported = new List<(int, string)>();

            var count = ArrayRules.Each(values, rule, (i, message) => reported.Add((i, message)));

            var expected = values.Select((v, i) => (i, rule.Problem(v))).Where(e => e.Item2 is not null).Select(e => (e.i, e.Item2!)).ToList();
            Assert.Equal(expected, reported);
            Assert.Equal(expected.Count, count);
        });
    }
}
