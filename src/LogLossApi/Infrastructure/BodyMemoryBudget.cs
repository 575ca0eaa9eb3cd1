using Microsoft.Extensions.Options;

namespace LogLossApi.Infrastructure;

/// <summary>
/// A shared budget of request-body bytes in flight (<see cref="LimitsOptions.MaxConcurrentBodyBytes"/>), so that many
/// large requests at once cannot take the process over its memory limit: a request reserves its declared size (or the
/// endpoint limit when the body is chunked), waits briefly in a bounded queue when there is no room, and is refused
/// with 503 and Retry-After when the wait runs out.
/// </summary>
public sealed class BodyMemoryBudget : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _released = new(0);
    private readonly LimitsOptions _limits;
    private long _available;
    private int _waiting;

    public BodyMemoryBudget(IOptions<LimitsOptions> limits)
    {
        _limits = limits.Value;
        Capacity = _limits.MaxConcurrentBodyBytes > 0
            ? _limits.MaxConcurrentBodyBytes
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
        _available = Capacity;
    }

    public long Capacity { get; }

    public void Dispose() => _released.Dispose();

    /// <summary>Reserves <paramref name="bytes"/>; null when no room came within the queue timeout or the queue is full.</summary>
    public async Task<IDisposable?> TryReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Min(bytes, Capacity);
        var deadline = DateTime.UtcNow.AddMilliseconds(_limits.BodyQueueTimeoutMilliseconds);
        var queued = false;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_available >= bytes)
                    {
                        _available -= bytes;
                        return new Reservation(this, bytes);
                    }

                    if (!queued)
                    {
                        if (_waiting >= _limits.MaxQueuedBodies)
                        {
                            return null;
                        }

                        _waiting++;
                        queued = true;
                    }
                }

                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !await _released.WaitAsync(remaining, cancellationToken))
                {
                    return null;
                }
            }
        }
        finally
        {
            if (queued)
            {
                lock (_gate)
                {
                    _waiting--;
                }
            }
        }
    }

    private void Release(long bytes)
    {
        int waiting;
        lock (_gate)
        {
            _available += bytes;
            waiting = _waiting;
        }

        // Wake every waiter: each re-checks whether its own size now fits.
        if (waiting > 0)
        {
            _released.Release(waiting);
        }
    }

    private sealed class Reservation(BodyMemoryBudget budget, long bytes) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
