using System.Buffers.Binary;
using System.Text.Json.Nodes;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Tests;

/// <summary>
/// <see cref="ArrowFramingGuard"/> on its own: a valid stream passes through byte for byte (whatever the read sizes);
/// a message that declares more metadata or body than the request could hold fails before anything is allocated.
/// </summary>
public sealed class ArrowFramingGuardTests
{
    private static readonly byte[] Valid = Tabular.ToArrow(new JsonObject
    {
        ["labels"] = new JsonArray(0.0, 1.0, 1.0, 0.0),
        ["probabilities"] = new JsonArray(0.1, 0.8, 0.6, 0.3),
    }, batchRows: 2);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_valid_stream_passes_through_unchanged_whatever_the_read_size(int readSize)
    {
        using var guard = new ArrowFramingGuard(new MemoryStream(Valid), Valid.Length);
        using var copy = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await guard.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(Valid, copy.ToArray());
    }

    [Fact]
    public async Task Metadata_longer_than_the_limit_is_refused()
    {
        var stream = (byte[])Valid.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(stream.AsSpan(4), ArrowFramingGuard.MaxMetadataBytes + 8);

        await Assert.ThrowsAsync<InvalidDataException>(() => Drain(stream, stream.Length));
    }

    [Fact]
    public async Task A_negative_metadata_length_is_refused()
    {
        var stream = (byte[])Valid.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(stream.AsSpan(4), -2);

        await Assert.ThrowsAsync<InvalidDataException>(() => Drain(stream, stream.Length));
    }

    [Fact]
    public async Task A_stream_cut_short_of_its_declared_length_limit_is_refused_when_it_claims_more()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => Drain(Valid, maxStreamBytes: 16));
    }

    [Fact]
    public void The_guard_only_reads()
    {
        using var guard = new ArrowFramingGuard(new MemoryStream(Valid), Valid.Length);

        Assert.True(guard.CanRead);
        Assert.False(guard.CanWrite);
        Assert.False(guard.CanSeek);
        Assert.Throws<NotSupportedException>(() => guard.Write([1], 0, 1));
    }

    private static async Task Drain(byte[] stream, long maxStreamBytes)
    {
        using var guard = new ArrowFramingGuard(new MemoryStream(stream), maxStreamBytes);
        var buffer = new byte[4096];
        while (await guard.ReadAsync(buffer) > 0)
        {
        }
    }
}
