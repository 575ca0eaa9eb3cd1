using System.Net;
using LogLossApi.Hosting;
using LogLossApi.Wire.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace LogLossApi.Tests;

/// <summary>Kestrel's socket buffers (<see cref="TransportMemoryPool"/>), on a real socket.</summary>
public sealed class TransportMemoryTests(RealServer server) : IClassFixture<RealServer>
{
    [Fact]
    public void Kestrel_receives_into_64_KiB_blocks()
    {
        // Program's order: the host's defaults (Kestrel with its own pool) first, then the service's registrations.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddLogLossApi(builder.Configuration, json: [], tags: new Dictionary<string, string>());
        using var services = builder.Services.BuildServiceProvider();
        using var pool = services.GetRequiredService<IMemoryPoolFactory<byte>>().Create();

        using var block = pool.Rent();
        using var small = pool.Rent(4096);

        Assert.Equal(64 * 1024, pool.MaxBufferSize);
        Assert.Equal(64 * 1024, block.Memory.Length);
        Assert.Equal(64 * 1024, small.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent((64 * 1024) + 1));
    }

    [Fact]
    public void A_block_goes_back_to_the_pool_once()
    {
        using var pool = new TransportMemoryPool();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
    }

    [Fact]
    public async Task A_body_of_many_blocks_is_scored_exactly_over_a_socket()
    {
        var samples = RandomSamples.Create(100_000, seed: 64);
        Assert.IsType<TransportMemoryPoolFactory>(server.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        using var client = server.CreateClient();

        var (status, _, body, _) = await Http.PostJson(client, "/v1/log-loss", samples.ToJson());

        Assert.Equal(HttpStatusCode.OK, status);
        samples.AssertScored(body);
    }
}
