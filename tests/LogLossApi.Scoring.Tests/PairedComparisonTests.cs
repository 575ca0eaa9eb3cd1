using CsCheck;

namespace LogLossApi.Scoring.Tests;

public sealed class PairedComparisonTests
{
    [Fact]
    public void Swapping_the_models_negates_the_difference_and_keeps_the_error_and_p_value()
    {
        Gen.Int[2, 100].SelectMany(n => Gen.Select(Gen.Double[0.0, 5.0].Array[n], Gen.Double[0.0, 5.0].Array[n], Gen.Double[0.01, 0.99]))
            .Sample((a, b, level) =>
            {
                var forward = PairedComparison.Compare(a, b, default, level);
                var backward = PairedComparison.Compare(b, a, default, level);

                Assert.Equal(-forward.MeanDifference, backward.MeanDifference, 1e-12);
                Assert.Equal(forward.StandardError!.Value, backward.StandardError!.Value, 1e-12);
                Assert.Equal(forward.PValue!.Value, backward.PValue!.Value, 1e-9);
                Assert.True(forward.Lower <= forward.MeanDifference && forward.MeanDifference <= forward.Upper);
                Assert.InRange(forward.PValue.Value, 0, 1);
            }, iter: 300);
    }

    [Fact]
    public void Identical_losses_give_zero_and_p_value_one_and_one_sample_gives_no_test()
    {
        var same = PairedComparison.Compare([0.1, 0.5, 2.0], [0.1, 0.5, 2.0], default, 0.95);
        var single = PairedComparison.Compare([0.1], [0.3], default, 0.95);

        Assert.Equal(0, same.MeanDifference);
        Assert.Equal(1, same.PValue);
        Assert.Null(single.StandardError);
        Assert.Null(single.PValue);
        Assert.Equal(0.2, single.MeanDifference, 15);
    }
}
