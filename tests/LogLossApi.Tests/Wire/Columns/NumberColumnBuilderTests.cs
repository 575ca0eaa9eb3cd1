using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Tests;

/// <summary><see cref="NumberColumnBuilder"/>: values in order across chunk boundaries, charged to the request's account and released.</summary>
public sealed class NumberColumnBuilderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(100_000)]
    public void Values_added_one_by_one_and_in_ranges_come_back_in_order(int count)
    {
        var values = Enumerable.Range(0, count).Select(i => i * 0.5).ToArray();
        using var single = new NumberColumnBuilder();
        using var ranges = new NumberColumnBuilder();

        foreach (var value in values)
        {
            single.Add(value);
        }

        for (var start = 0; start < count; start += 777)
        {
            ranges.AddRange(values.AsSpan(start, Math.Min(777, count - start)));
        }

        var copied = new double[count];
        ranges.CopyTo(copied);
        using var built = single.Build();
        Assert.Equal(values, built.Span.ToArray());
        Assert.Equal(values, copied);
        Assert.Equal(0, single.Count);
    }

    [Fact]
    public void Chunks_are_charged_to_the_request_and_released_when_disposed()
    {
        var account = new CountingAccount();
        using (RequestMemory.Open(account))
        {
            using var builder = new NumberColumnBuilder();
            builder.AddRange(new double[10_000]);
            Assert.True(account.Charged >= 10_000 * sizeof(double));
        }

        Assert.Equal(0, account.Charged);
    }

    internal sealed class CountingAccount : RequestMemory.IAccount
    {
        public long Charged { get; private set; }

        public bool TryCharge(long bytes)
        {
            Charged += bytes;
            return true;
        }

        public void Release(long bytes) => Charged -= bytes;
    }
}
