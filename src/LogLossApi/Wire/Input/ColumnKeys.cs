using LogLossApi.Wire.Input.Tabular;
namespace LogLossApi.Wire.Input;

/// <summary>
/// How an error about one value or one whole column is keyed, by input format: JSON bodies by JSON path
/// ("probabilities[41]"), CSV bodies by row and column ("rows[41].probability"), Arrow streams by column and index
/// ("probability[41]"). Validators name columns by their JSON property; this maps them.
/// </summary>
public abstract class ColumnKeys
{
    public static ColumnKeys Json { get; } = new JsonKeys();

    /// <summary>CSV or Arrow keys for columns named <paramref name="names"/> (JSON property → tabular column).</summary>
    public static ColumnKeys Tabular(TabularFormat format, IReadOnlyDictionary<string, string> names) => new TabularKeys(format, names);

    /// <summary>How a tabular body names one value: "rows[41].probability" in CSV, "probability[41]" in Arrow.</summary>
    public static string TabularElement(TabularFormat format, string column, long row) =>
        format == TabularFormat.Csv ? $"rows[{row}].{column}" : $"{column}[{row}]";

    /// <summary>The key of element <paramref name="index"/> of the column whose JSON name is <paramref name="column"/>.</summary>
    public abstract string Element(string column, long index);

    /// <summary>The key of the whole column.</summary>
    public abstract string Column(string column);

    private sealed class JsonKeys : ColumnKeys
    {
        public override string Element(string column, long index) => $"{column}[{index}]";

        public override string Column(string column) => column;
    }

    private sealed class TabularKeys(TabularFormat format, IReadOnlyDictionary<string, string> names) : ColumnKeys
    {
        public override string Element(string column, long index) => TabularElement(format, Column(column), index);

        public override string Column(string column) => names.GetValueOrDefault(column, column);
    }
}
