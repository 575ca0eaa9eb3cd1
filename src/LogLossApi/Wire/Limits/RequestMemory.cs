using LogLossApi.Wire.Columns;
namespace LogLossApi.Wire.Limits;

/// <summary>
/// The memory a request may still take for its parsed columns: the request-body middleware opens an account for each
/// scoring request (<see cref="Open"/>), and every <see cref="NumberColumn"/> and builder chunk is charged to it as
/// it is allocated. A charge the account cannot cover throws <see cref="RequestMemoryExhaustedException"/>, which
/// becomes 503 with Retry-After. Outside a request (tests, health checks) nothing is charged.
/// </summary>
public static class RequestMemory
{
    private static readonly AsyncLocal<IAccount?> Current = new();

    /// <summary>An account that can grow and shrink; <see cref="TryCharge"/> must not block, and a release after the account closed is ignored.</summary>
    public interface IAccount
    {
        bool TryCharge(long bytes);

        void Release(long bytes);
    }

    /// <summary>Makes <paramref name="account"/> the current request's account until the returned scope is disposed.</summary>
    public static IDisposable Open(IAccount account)
    {
        var previous = Current.Value;
        Current.Value = account;
        return new Scope(previous);
    }

    /// <summary>Charges the current account, if any; returns it so that the holder releases to the same account later.</summary>
    /// <exception cref="RequestMemoryExhaustedException">The account cannot cover <paramref name="bytes"/>.</exception>
    public static IAccount? Charge(long bytes)
    {
        var account = Current.Value;
        if (account is not null && !account.TryCharge(bytes))
        {
            throw new RequestMemoryExhaustedException();
        }

        return account;
    }

    private sealed class Scope(IAccount? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>The request needs more memory than the service's budget for in-flight requests has free.</summary>
public sealed class RequestMemoryExhaustedException : Exception
{
    public RequestMemoryExhaustedException()
        : base("The service's memory budget for requests in flight has no room for this request's data.")
    {
    }

    public RequestMemoryExhaustedException(string message)
        : base(message)
    {
    }

    public RequestMemoryExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
