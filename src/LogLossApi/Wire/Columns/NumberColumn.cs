using System.Text.Json.Serialization;
using LogLossApi.Wire.Limits;

namespace LogLossApi.Wire.Columns;

/// <summary>
/// One numeric array of a request or response (labels, probabilities, weights, losses, a matrix in row-major order)
/// in a single contiguous buffer from <see cref="RequestBuffers"/>, charged to the request's <see cref="RequestMemory"/>. Read and written as a JSON array of numbers by
/// <see cref="NumberColumnConverter"/>; dispose it to give the buffer back.
/// </summary>
[JsonConverter(typeof(NumberColumnConverter))]
public sealed class NumberColumn : IDisposable
{
    private double[]? _buffer;
    private readonly bool _rented;
    private readonly RequestMemory.IAccount? _account;

    private NumberColumn(double[] buffer, int length, bool rented, RequestMemory.IAccount? account)
    {
        _buffer = buffer;
        Length = length;
        _rented = rented;
        _account = account;
    }

    public int Length { get; }

    public ReadOnlySpan<double> Span => Buffer.AsSpan(0, Length);

    public ReadOnlyMemory<double> Memory => Buffer.AsMemory(0, Length);

    /// <summary>The values, for a writer that fills a column it allocated (per-sample losses).</summary>
    public Span<double> WritableSpan => Buffer.AsSpan(0, Length);

    private double[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(NumberColumn));

    /// <summary>A column of <paramref name="length"/> values, contents unspecified.</summary>
    /// <exception cref="RequestMemoryExhaustedException">The request's memory budget has no room for it.</exception>
    public static NumberColumn Allocate(int length)
    {
        var buffer = RequestBuffers.Rent<double>(length);
        try
        {
            return new NumberColumn(buffer, length, rented: true, RequestMemory.Charge(RequestBuffers.Bytes(buffer)));
        }
        catch (RequestMemoryExhaustedException)
        {
            RequestBuffers.Return(buffer);
            throw;
        }
    }

    /// <summary>A copy of <paramref name="values"/> in an array of its own, outside any pool or account (examples, tests).</summary>
    public static NumberColumn Of(ReadOnlySpan<double> values) => new(values.ToArray(), values.Length, rented: false, account: null);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is not { } buffer)
        {
            return;
        }

        if (_rented)
        {
            RequestBuffers.Return(buffer);
            _account?.Release(RequestBuffers.Bytes(buffer));
        }
    }
}

public static class ResponseDisposalExtensions
{
    /// <summary>Disposes <paramref name="value"/> once the response has been written, and returns it.</summary>
    public static T DisposeWith<T>(this HttpResponse response, T value)
        where T : IDisposable
    {
        response.RegisterForDispose(value);
        return value;
    }
}
