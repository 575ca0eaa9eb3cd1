using Microsoft.Extensions.Options;

namespace LogLossApi.Wire.Limits;

/// <summary>
/// A shared budget of request-body bytes in flight (<see cref="LimitsOptions.MaxConcurrentBodyBytes"/>), so that many
/// large requests at once cannot take the process over its memory limit: a request reserves its declared size (or the
/// endpoint limit when the body is chunked), waits briefly in a bounded queue when there is no room, and is refused
/// with 503 and Retry-After when the wait runs out. The reservation is then the request's <see cref="RequestMemory"/>
/// account: the columns parsed from the body are charged to the same budget without waiting, and everything is
/// returned when the request completes.
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

    /// <summary>Bytes not reserved by any request right now.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    public void Dispose() => _released.Dispose();

    /// <summary>Reserves <paramref name="bytes"/>; null when no room came within the queue timeout or the queue is full.</summary>
    public async Task<Reservation?> TryReserveAsync(long bytes, CancellationToken cancellationToken)
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

    private bool TryTake(long bytes)
    {
        lock (_gate)
        {
            if (_available < bytes)
            {
                return false;
            }

            _available -= bytes;
            return true;
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

    /// <summary>Bytes held for one request: its body, then whatever its columns charge; all returned on dispose.</summary>
    public sealed class Reservation : RequestMemory.IAccount, IDisposable
    {
        private readonly Lock _gate = new();
        private readonly BodyMemoryBudget _budget;
        private long _held;
        private bool _closed;

        internal Reservation(BodyMemoryBudget budget, long bytes)
        {
            _budget = budget;
            _held = bytes;
        }

        public bool TryCharge(long bytes)
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return true;
                }

                if (!_budget.TryTake(bytes))
                {
                    return false;
                }

                _held += bytes;
                return true;
            }
        }

        public void Release(long bytes)
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                bytes = Math.Min(bytes, _held);
                _held -= bytes;
            }

            _budget.Release(bytes);
        }

        public void Dispose()
        {
            long held;
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                held = _held;
                _held = 0;
            }

            _budget.Release(held);
        }
    }
}
