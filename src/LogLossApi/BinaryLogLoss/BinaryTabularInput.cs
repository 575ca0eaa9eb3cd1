using FluentValidation;
using LogLossApi.Infrastructure;
using LogLossApi.Scoring;
using LogLossApi.Wire;
using Microsoft.Extensions.Options;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// <c>text/csv</c> and Arrow bodies for <c>/v1/log-loss</c>: columns <c>label</c>, <c>probability</c> or
/// <c>logit</c>, optional <c>weight</c>; options in the query string. When the response needs no per-sample values
/// (<c>includeLosses=false</c> and a JSON response) the rows are validated and scored block by block as they arrive,
/// in constant memory; otherwise they are collected into columns and go the same way as a JSON body.
/// </summary>
internal static class BinaryTabularInput
{
    private static readonly Dictionary<string, string> ColumnNames = new(StringComparer.Ordinal)
    {
        ["labels"] = "label",
        ["probabilities"] = "probability",
        ["logits"] = "logit",
        ["weights"] = "weight",
    };

    private static readonly string[] QueryNames = ["epsilon", "unit", "positiveWeight", "labelSmoothing", "includeLosses"];

    public static async ValueTask<BinaryLogLossRequest> ReadAsync(HttpContext context, TabularFormat format, bool perSampleResponse)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<TabularInputMetadata>();
        var query = new QueryOptions(context.Request.Query, [.. QueryNames, .. endpoint?.ExtraQueryParameters ?? []]);
        var options = new BinaryLogLossOptions(
            query.Number("epsilon"),
            query.Unit(),
            query.Number("positiveWeight"),
            query.Number("labelSmoothing"),
            query.Boolean("includeLosses"));
        await using var source = await Source.OpenAsync(context, format);
        if (options.IncludeLosses != false || perSampleResponse || endpoint?.NeedsColumns == true)
        {
            var columns = await source.CollectAsync();
            return new BinaryLogLossRequest(columns.Labels, columns.Probabilities, columns.Logits, columns.Weights, options) { Keys = columns.Keys };
        }

        return await StreamAsync(source, options);
    }

    /// <summary>
    /// Every row of a CSV or Arrow body with columns label, probability or logit, and optionally weight, collected into
    /// columns (for endpoints that need them all, such as the calibration's sort).
    /// </summary>
    public static async ValueTask<CollectedColumns> CollectAsync(HttpContext context, TabularFormat format)
    {
        await using var source = await Source.OpenAsync(context, format);
        return await source.CollectAsync();
    }

    private static async ValueTask<BinaryLogLossRequest> StreamAsync(Source source, BinaryLogLossOptions options)
    {
        var (reader, block, ordinals, layout, keys) = (source.Reader, source.Block, source.Ordinals, source.Layout, source.Keys);
        var request = new BinaryLogLossRequest(null, null, null, null, options) { Keys = keys };
        var libraryOptions = request.LibraryOptions();
        if (!libraryOptions.IsValid)
        {
            // The options' own errors are reported by the validator; the rows are not worth reading.
            return request with { Streamed = new StreamedScore(null) };
        }

        var kind = layout.Logits ? PredictionKind.Logits : PredictionKind.Probabilities;
        var accumulator = new BinaryLogLossAccumulator(libraryOptions, kind, layout.Weight >= 0);
        var errors = new StreamedScore.Errors();
        var weightSum = 0.0;
        var rows = 0L;
        while (await reader.ReadBlockAsync(block, ordinals, source.Cancellation))
        {
            CheckCount(block, source.MaxSamples);
            rows += block.Count;
            var bad = errors.Check(keys, "labels", block.Column(0), block.FirstRow, ArrayRules.FiniteInUnitInterval)
                + errors.Check(keys, layout.Logits ? "logits" : "probabilities", block.Column(1), block.FirstRow, layout.Logits ? ArrayRules.Finite : ArrayRules.FiniteInUnitInterval);
            if (layout.Weight >= 0)
            {
                bad += errors.Check(keys, "weights", block.Column(2), block.FirstRow, ArrayRules.FiniteNonNegative);
                weightSum += System.Numerics.Tensors.TensorPrimitives.Sum(block.Column(2));
            }

            if (bad == 0 && errors.Count == 0)
            {
                accumulator.Add(block.Column(0), block.Column(1), layout.Weight >= 0 ? block.Column(2) : default, default);
            }
        }

        if (rows == 0)
        {
            errors.Add(keys.Column("labels"), "Must contain at least one sample.");
        }
        else if (layout.Weight >= 0 && errors.Count == 0 && BinaryLogLossRequestValidator.WeightSumProblem(weightSum) is { } problem)
        {
            errors.Add(keys.Column("weights"), problem);
        }

        return request with { Streamed = errors.Count == 0 ? new StreamedScore(accumulator.ToReport()) : new StreamedScore(null, errors) };
    }

    private static void CheckCount(RowBlock block, int maxSamples)
    {
        if (block.FirstRow + block.Count > maxSamples)
        {
            throw new BadHttpRequestException($"The request has more than {maxSamples} rows; this service accepts at most {maxSamples}.", StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>An open tabular body: its reader, column layout, error keys and a reusable block of rows.</summary>
    private sealed class Source : IAsyncDisposable
    {
        private Source(TabularReader reader, Layout layout, int maxSamples, CancellationToken cancellation)
        {
            Reader = reader;
            Layout = layout;
            MaxSamples = maxSamples;
            Cancellation = cancellation;
            Keys = ColumnKeys.Tabular(reader.Format, ColumnNames);
            Ordinals = [layout.Label, layout.Prediction, layout.Weight];
        }

        public TabularReader Reader { get; }

        public Layout Layout { get; }

        public ColumnKeys Keys { get; }

        public int[] Ordinals { get; }

        public RowBlock Block { get; } = new(3);

        public int MaxSamples { get; }

        public CancellationToken Cancellation { get; }

        public static async Task<Source> OpenAsync(HttpContext context, TabularFormat format)
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
            var reader = await TabularReader.OpenAsync(format, context.Request.Body, context.Request.ContentLength ?? limits.MaxRequestBodyBytes, context.RequestAborted);
            try
            {
                return new Source(reader, Layout.Of(reader), limits.MaxSamples, context.RequestAborted);
            }
            catch
            {
                await reader.DisposeAsync();
                throw;
            }
        }

        public async ValueTask<CollectedColumns> CollectAsync()
        {
            using var labels = new NumberColumnBuilder();
            using var predictions = new NumberColumnBuilder();
            using var weights = new NumberColumnBuilder();
            while (await Reader.ReadBlockAsync(Block, Ordinals, Cancellation))
            {
                CheckCount(Block, MaxSamples);
                labels.AddRange(Block.Column(0));
                predictions.AddRange(Block.Column(1));
                if (Layout.Weight >= 0)
                {
                    weights.AddRange(Block.Column(2));
                }
            }

            var predictionColumn = predictions.Build();
            return new CollectedColumns(
                labels.Build(),
                Layout.Logits ? null : predictionColumn,
                Layout.Logits ? predictionColumn : null,
                Layout.Weight >= 0 ? weights.Build() : null,
                Keys);
        }

        public async ValueTask DisposeAsync()
        {
            Block.Dispose();
            await Reader.DisposeAsync();
        }
    }

    /// <summary>Which of the body's columns is which; anything unknown, missing or doubled is refused.</summary>
    private sealed record Layout(int Label, int Prediction, bool Logits, int Weight)
    {
        public static Layout Of(TabularReader reader)
        {
            var header = reader.Format == TabularFormat.Csv ? "header" : "schema";
            var names = reader.Names;
            foreach (var name in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                throw new RequestFormatException(header, $"Column '{name.Key}' appears more than once.");
            }

            foreach (var name in names.Where(n => !ColumnNames.ContainsValue(n)))
            {
                throw new RequestFormatException(header, $"Unknown column '{name}': the columns are label, probability or logit, and optionally weight.");
            }

            var label = IndexOf(names, "label");
            var probability = IndexOf(names, "probability");
            var logit = IndexOf(names, "logit");
            return (label, probability, logit) switch
            {
                (< 0, _, _) => throw new RequestFormatException(header, "A 'label' column is required."),
                (_, < 0, < 0) => throw new RequestFormatException(header, "A 'probability' or a 'logit' column is required."),
                (_, >= 0, >= 0) => throw new RequestFormatException(header, "Send either a 'probability' or a 'logit' column, not both."),
                _ => new Layout(label, Math.Max(probability, logit), logit >= 0, IndexOf(names, "weight")),
            };
        }

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}

/// <summary>The columns of a tabular body and how its errors are keyed.</summary>
public sealed record CollectedColumns(NumberColumn Labels, NumberColumn? Probabilities, NumberColumn? Logits, NumberColumn? Weights, ColumnKeys Keys);

/// <summary>
/// A tabular body scored as it streamed in: the report, or the first errors found (at most
/// <see cref="ErrorBudget.MaxErrors"/> kept, the rest counted) for the validator to return.
/// </summary>
public sealed record StreamedScore(BinaryLogLossReport? Report, StreamedScore.Errors? Found = null)
{
    public void ReportTo<T>(ValidationContext<T> context)
    {
        if (Found is null)
        {
            return;
        }

        foreach (var (key, message) in Found.Kept)
        {
            ErrorBudget.Report(context, key, message);
        }

        ErrorBudget.Omit(context, Found.Count - Found.Kept.Count);
    }

    public sealed class Errors
    {
        private readonly List<(string Key, string Message)> _kept = [];

        public IReadOnlyList<(string Key, string Message)> Kept => _kept;

        public int Count { get; private set; }

        public void Add(string key, string message)
        {
            if (_kept.Count < ErrorBudget.MaxErrors)
            {
                _kept.Add((key, message));
            }

            Count++;
        }

        public int Check(ColumnKeys keys, string column, ReadOnlySpan<double> values, long firstRow, ValueRule rule) =>
            ArrayRules.Each(values, rule, (i, message) => Add(keys.Element(column, firstRow + i), message));
    }
}
