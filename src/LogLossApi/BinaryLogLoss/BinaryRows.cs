using LogLossApi.Scoring;
using LogLossApi.Validation;
using LogLossApi.Wire.Columns;
using LogLossApi.Wire.Input;
using LogLossApi.Wire.Input.Tabular;
using LogLossApi.Wire.Limits;
using Microsoft.Extensions.Options;

namespace LogLossApi.BinaryLogLoss;

/// <summary>
/// A binary body — labels, probabilities or logits, optional weights — as blocks of rows, whatever its media type:
/// a JSON body's columns are one block; a CSV or Arrow body is read block by block as it arrives. Binding only opens
/// the source and checks its shape; the handler reads it, with every value checked as it goes
/// (<see cref="ReadCheckedAsync"/>), into a library accumulator, or collects it where the algorithm or the response
/// needs every row at once (<see cref="CollectAsync"/>).
/// </summary>
public abstract class BinaryRows
{
    private double _weightSum;
    private long _rows;

    protected BinaryRows(PredictionKind kind, bool weighted, ColumnKeys keys) => (Kind, Weighted, Keys) = (kind, weighted, keys);

    /// <summary>Whether the predictions are probabilities or logits.</summary>
    public PredictionKind Kind { get; }

    /// <summary>Whether the rows carry weights.</summary>
    public bool Weighted { get; }

    /// <summary>How errors name a value: JSON paths, CSV rows or Arrow columns.</summary>
    public ColumnKeys Keys { get; }

    /// <summary>The index of the current block's first row.</summary>
    public abstract long FirstRow { get; }

    /// <summary>The current block's labels.</summary>
    public abstract ReadOnlySpan<double> Labels { get; }

    /// <summary>The current block's probabilities or logits.</summary>
    public abstract ReadOnlySpan<double> Predictions { get; }

    /// <summary>The current block's weights; empty when the rows have none.</summary>
    public abstract ReadOnlySpan<double> Weights { get; }

    /// <summary>A JSON body's columns (already checked for shape) as one block.</summary>
    public static BinaryRows Of(NumberColumn labels, NumberColumn? probabilities, NumberColumn? logits, NumberColumn? weights, ColumnKeys keys) =>
        new ColumnRows(new BinaryColumns(labels, (probabilities ?? logits)!, probabilities is null ? PredictionKind.Logits : PredictionKind.Probabilities, weights, keys));

    /// <summary>
    /// Moves to the next block and reports into <paramref name="problems"/> every value of it outside its range (labels
    /// and probabilities in [0, 1], logits finite, weights finite and ≥ 0); false after the last block, once the whole
    /// body's rules (at least one row, weights summing to more than 0) are reported too.
    /// </summary>
    public async ValueTask<bool> ReadCheckedAsync(RowProblems problems, CancellationToken cancellationToken)
    {
        if (!await ReadAsync(cancellationToken))
        {
            if (_rows == 0)
            {
                problems.Add(Keys.Column("labels"), "Must contain at least one sample.");
            }
            else if (Weighted && problems.Count == 0 && BinaryLogLossRequestValidator.WeightSumProblem(_weightSum) is { } problem)
            {
                problems.Add(Keys.Column("weights"), problem);
            }

            return false;
        }

        _rows += Labels.Length;
        problems.Check(Keys, "labels", Labels, FirstRow, ArrayRules.Label);
        problems.Check(Keys, PredictionColumn, Predictions, FirstRow, Kind == PredictionKind.Logits ? ArrayRules.Finite : ArrayRules.FiniteInUnitInterval);
        if (Weighted && problems.Check(Keys, "weights", Weights, FirstRow, ArrayRules.FiniteNonNegative) == 0)
        {
            _weightSum += System.Numerics.Tensors.TensorPrimitives.Sum(Weights);
        }

        return true;
    }

    /// <summary>Every row, checked as <see cref="ReadCheckedAsync"/> does, as columns (a JSON body's own, without a copy).</summary>
    public abstract ValueTask<BinaryColumns> CollectAsync(RowProblems problems, CancellationToken cancellationToken);

    /// <summary>Moves to the next block; false after the last.</summary>
    protected abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    private string PredictionColumn => Kind == PredictionKind.Logits ? "logits" : "probabilities";

    /// <summary>Columns in memory: one block.</summary>
    private sealed class ColumnRows(BinaryColumns columns) : BinaryRows(columns.Kind, columns.Weights is not null, columns.Keys)
    {
        private bool _read;

        public override long FirstRow => 0;

        public override ReadOnlySpan<double> Labels => columns.Labels.Span;

        public override ReadOnlySpan<double> Predictions => columns.Predictions.Span;

        public override ReadOnlySpan<double> Weights => columns.Weights is null ? default : columns.Weights.Span;

        public override async ValueTask<BinaryColumns> CollectAsync(RowProblems problems, CancellationToken cancellationToken)
        {
            while (await ReadCheckedAsync(problems, cancellationToken))
            {
            }

            return columns;
        }

        protected override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
        {
            var first = !_read;
            _read = true;
            return ValueTask.FromResult(first);
        }
    }
}

/// <summary>A binary body's columns, with how its errors are keyed.</summary>
public sealed record BinaryColumns(NumberColumn Labels, NumberColumn Predictions, PredictionKind Kind, NumberColumn? Weights, ColumnKeys Keys)
{
    /// <summary>The library's view of the columns, with <paramref name="options"/>.</summary>
    public BinaryInput ToInput(BinaryLossOptions options) =>
        new(Labels.Span, Predictions.Span, Kind, Weights is null ? default : Weights.Span, options);
}

/// <summary>
/// A <c>text/csv</c> or Arrow body with columns <c>label</c>, <c>probability</c> or <c>logit</c>, and optionally
/// <c>weight</c>, read in blocks of <see cref="RowBlock.Capacity"/> rows as it arrives. Opening it checks the header
/// (or schema); <see cref="LimitsOptions.MaxSamples"/> is enforced as rows arrive.
/// </summary>
public sealed class TabularBinaryRows : BinaryRows, IAsyncDisposable
{
    private static readonly Dictionary<string, string> ColumnNames = new(StringComparer.Ordinal)
    {
        ["labels"] = "label",
        ["probabilities"] = "probability",
        ["logits"] = "logit",
        ["weights"] = "weight",
    };

    private readonly TabularReader _reader;
    private readonly RowBlock _block = new(3);
    private readonly int[] _ordinals;
    private readonly int _maxSamples;
    private BinaryColumns? _collected;

    private TabularBinaryRows(TabularReader reader, Layout layout, int maxSamples)
        : base(layout.Logits ? PredictionKind.Logits : PredictionKind.Probabilities, layout.Weight >= 0, ColumnKeys.Tabular(reader.Format, ColumnNames))
    {
        _reader = reader;
        _ordinals = [layout.Label, layout.Prediction, layout.Weight];
        _maxSamples = maxSamples;
    }

    public override long FirstRow => _block.FirstRow;

    public override ReadOnlySpan<double> Labels => _block.Column(0);

    public override ReadOnlySpan<double> Predictions => _block.Column(1);

    public override ReadOnlySpan<double> Weights => Weighted ? _block.Column(2) : default;

    /// <summary>Opens the body and checks its columns; the reader and the rows are given back when the response is done.</summary>
    public static async Task<TabularBinaryRows> OpenAsync(HttpContext context, TabularFormat format)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var reader = await TabularReader.OpenAsync(format, context.Request.Body, context.Request.ContentLength ?? limits.MaxRequestBodyBytes, context.RequestAborted);
        try
        {
            var rows = new TabularBinaryRows(reader, Layout.Of(reader), limits.MaxSamples);
            context.Response.RegisterForDisposeAsync(rows);
            return rows;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask<BinaryColumns> CollectAsync(RowProblems problems, CancellationToken cancellationToken)
    {
        using var labels = new NumberColumnBuilder();
        using var predictions = new NumberColumnBuilder();
        using var weights = new NumberColumnBuilder();
        while (await ReadCheckedAsync(problems, cancellationToken))
        {
            labels.AddRange(Labels);
            predictions.AddRange(Predictions);
            weights.AddRange(Weights);
        }

        _collected = new BinaryColumns(labels.Build(), predictions.Build(), Kind, Weighted ? weights.Build() : null, Keys);
        return _collected;
    }

    /// <summary>Gives back the reader, its block and the collected columns (after the response is written).</summary>
    public async ValueTask DisposeAsync()
    {
        _collected?.Labels.Dispose();
        _collected?.Predictions.Dispose();
        _collected?.Weights?.Dispose();
        _block.Dispose();
        await _reader.DisposeAsync();
    }

    protected override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _reader.ReadBlockAsync(_block, _ordinals, cancellationToken))
        {
            return false;
        }

        if (_block.FirstRow + _block.Count > _maxSamples)
        {
            throw new BadHttpRequestException($"The request has more than {_maxSamples} rows; this service accepts at most {_maxSamples}.", StatusCodes.Status413PayloadTooLarge);
        }

        return true;
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
                throw new RequestFormatException(header, name is "" or "Unnamed: 0" or "index"
                    ? $"Unknown column '{name}': it looks like a pandas index; write the frame with to_csv(index=False). The columns are label, probability or logit, and optionally weight."
                    : $"Unknown column '{name}': the columns are label, probability or logit, and optionally weight.");
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
