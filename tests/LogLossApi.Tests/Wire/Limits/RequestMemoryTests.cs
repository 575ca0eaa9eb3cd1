using LogLossApi.Wire.Limits;

namespace LogLossApi.Tests;

/// <summary><see cref="RequestMemory"/> and <see cref="RequestBuffers"/>: charges go to the current request's account, or nowhere outside one.</summary>
public sealed class RequestMemoryTests
{
    [Fact]
    public void Outside_a_request_nothing_is_charged() => Assert.Null(RequestMemory.Charge(1 << 20));

    [Fact]
    public void A_charge_the_account_cannot_cover_throws_and_the_scope_ends_with_its_block()
    {
        var account = new LimitedAccount(1000);
        using (RequestMemory.Open(account))
        {
            Assert.Same(account, RequestMemory.Charge(600));
            Assert.Throws<RequestMemoryExhaustedException>(() => RequestMemory.Charge(600));
        }

        Assert.Null(RequestMemory.Charge(600));
        Assert.Equal(600, account.Charged);
    }

    [Fact]
    public void Buffers_up_to_the_limit_come_from_the_pool_and_larger_ones_are_exact()
    {
        var small = RequestBuffers.Rent<double>(1000);
        var large = RequestBuffers.Rent<byte>(RequestBuffers.PooledLimitBytes + 1);

        Assert.True(small.Length >= 1000);
        Assert.Equal(RequestBuffers.PooledLimitBytes + 1, large.Length);
        Assert.Equal(small.Length * sizeof(double), RequestBuffers.Bytes(small));
        RequestBuffers.Return(small);
        RequestBuffers.Return(large);
    }

    private sealed class LimitedAccount(long limit) : RequestMemory.IAccount
    {
        public long Charged { get; private set; }

        public bool TryCharge(long bytes)
        {
            if (Charged + bytes > limit)
            {
                return false;
            }

            Charged += bytes;
            return true;
        }

        public void Release(long bytes) => Charged -= bytes;
    }
}
