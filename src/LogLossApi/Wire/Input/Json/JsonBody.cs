using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Limits;

using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Wire.Input.Json;

/// <summary>
/// Reads a JSON request body for the scoring endpoints: the whole body is buffered in the request pipe (its size is
/// already reserved in the memory budget), made contiguous when it is at most <see cref="RequestBuffers.PooledLimitBytes"/>,
/// then deserialized in one synchronous pass, so that <see cref="NumberColumnConverter"/> reads each array straight
/// into its column (a long one converted on every core, <see cref="NumberTokens"/>) and can name the index of a
/// malformed element. A span is read once; over a segment
/// sequence the serializer first scans the whole value to scope its reader, and multi-segment reading is slower,
/// which larger bodies accept rather than holding a second copy of themselves.
/// Failures surface as <see cref="BadHttpRequestException"/> (400, 413 or 415) with the <see cref="JsonException"/>
/// inside, as the framework's own binder does.
/// </summary>
public static class JsonBody
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <param name="context">The request.</param>
    /// <param name="typeInfo">The body's source-generated metadata.</param>
    /// <param name="accepted">The media types the endpoint takes, for the 415 answer to anything else.</param>
    public static async ValueTask<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, string accepted = "application/json")
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException($"Content-Type '{context.Request.ContentType}' is not supported here: send {accepted}.", StatusCodes.Status415UnsupportedMediaType);
        }

        RejectQueryOptions(context);
        var pipe = context.Request.BodyReader;
        var buffer = (await ReadToEndAsync(pipe, context.RequestAborted)).Buffer;

        // A body in several segments is copied into one, unless that would double a large body's memory.
        var copied = !buffer.IsSingleSegment && buffer.Length <= RequestBuffers.PooledLimitBytes;
        using var copy = copied ? BodyCopy.Of(buffer) : default;
        if (copied)
        {
            // The copy is the body now: the pipe's segments go back to the pool before parsing starts.
            pipe.AdvanceTo(buffer.End);
        }

        try
        {
            var body = copied ? new ReadOnlySequence<byte>(copy.Memory) : buffer;
            if (body.IsEmpty)
            {
                throw new BadHttpRequestException("The request body is empty.", StatusCodes.Status400BadRequest);
            }

            try
            {
                return Deserialize(body, typeInfo)
                    ?? throw new BadHttpRequestException("The request body is null.", StatusCodes.Status400BadRequest, new JsonException("The body must be a JSON object, not null."));
            }
            catch (JsonException error)
            {
                throw new BadHttpRequestException("The request body is not valid JSON for this endpoint.", StatusCodes.Status400BadRequest, Located(error, body));
            }
        }
        finally
        {
            if (!copied)
            {
                pipe.AdvanceTo(buffer.End);
            }
        }
    }

    /// <summary>
    /// Query parameters are options of CSV, Arrow and Parquet bodies only: a JSON body's options are in the body, so a
    /// query parameter beside one (other than those the endpoint reads for every body, such as the chart's kind) would
    /// be ignored; it is a 400 that names it and says where the option goes.
    /// </summary>
    private static void RejectQueryOptions(HttpContext context)
    {
        var everyBody = context.GetEndpoint()?.Metadata.GetMetadata<TabularQueryMetadata>()?.ExtraQueryParameters ?? [];
        foreach (var name in context.Request.Query.Keys)
        {
            if (!everyBody.Contains(name, StringComparer.Ordinal))
            {
                throw new RequestFormatException(name, $"A JSON body takes its options in the body, not the query string: send \"options\": {{\"{name}\": …}} (query parameters are for CSV, Arrow and Parquet bodies).");
            }
        }
    }

    /// <summary>The body as <typeparamref name="T"/>: one pass over a span, or a reader over the segments.</summary>
    internal static T? Deserialize<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> typeInfo)
    {
        if (body.IsSingleSegment)
        {
            return JsonSerializer.Deserialize(body.FirstSpan, typeInfo);
        }

        var reader = new Utf8JsonReader(body, ReaderOptions);
        return JsonSerializer.Deserialize(ref reader, typeInfo);
    }

    /// <summary>
    /// The serializer names the property, not the element, of a syntax error inside an array ("$.labels" for
    /// <c>[0,NaN]</c>). This walks the body again up to the error and gives it the full path ("$.labels[1]"); a
    /// failure that is not a syntax error (the walk reaches the end) keeps its own path.
    /// </summary>
    private static JsonException Located(JsonException error, ReadOnlySequence<byte> body)
    {
        if (error.LineNumber is null)
        {
            return error;
        }

        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Name = reader.GetString();
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        if (frames.Count > 0 && frames[^1].IsArray)
                        {
                            frames[^1].Count++;
                        }

                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return new JsonException(error.Message, Render(frames), error.LineNumber, error.BytePositionInLine);
        }

        return error;
    }

    /// <summary>"$", then ".name" per object and "[i]" per array; the innermost array names the element that broke.</summary>
    private static string Render(List<Frame> frames)
    {
        var path = new System.Text.StringBuilder("$");
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (frame.IsArray)
            {
                var index = i == frames.Count - 1 ? frame.Count : frame.Count - 1;
                path.Append('[').Append(index).Append(']');
            }
            else if (frame.Name is not null)
            {
                path.Append('.').Append(frame.Name);
            }
        }

        return path.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public string? Name { get; set; }

        public int Count { get; set; }
    }

    /// <summary>Lets the pipe buffer the whole body (Kestrel stops it at the endpoint's size limit with 413).</summary>
    private static async ValueTask<ReadResult> ReadToEndAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>A body that arrived in several segments, copied into one buffer charged to the request's memory while it lives.</summary>
    private readonly struct BodyCopy : IDisposable
    {
        private readonly byte[]? _array;
        private readonly int _length;
        private readonly RequestMemory.IAccount? _account;

        private BodyCopy(byte[] array, int length, RequestMemory.IAccount? account)
        {
            _array = array;
            _length = length;
            _account = account;
        }

        public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

        public static BodyCopy Of(ReadOnlySequence<byte> body)
        {
            var length = checked((int)body.Length);
            var array = RequestBuffers.Rent<byte>(length);
            try
            {
                var account = RequestMemory.Charge(array.Length);
                body.CopyTo(array);
                return new BodyCopy(array, length, account);
            }
            catch (RequestMemoryExhaustedException)
            {
                RequestBuffers.Return(array);
                throw;
            }
        }

        public void Dispose()
        {
            if (_array is not null)
            {
                RequestBuffers.Return(_array);
                _account?.Release(_array.Length);
            }
        }
    }
}
