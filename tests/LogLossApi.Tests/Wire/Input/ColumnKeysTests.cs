using LogLossApi.Wire.Input;
using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.Tests;

/// <summary><see cref="ColumnKeys"/>: one value or one column named as the body's format names it.</summary>
public sealed class ColumnKeysTests
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal) { ["labels"] = "label" };

    [Fact]
    public void Json_keys_are_JSON_paths() =>
        Assert.Equal(("labels[41]", "labels"), (ColumnKeys.Json.Element("labels", 41), ColumnKeys.Json.Column("labels")));

    [Fact]
    public void Csv_keys_name_the_row_then_the_column()
    {
        var keys = ColumnKeys.Tabular(TabularFormat.Csv, Names);

        Assert.Equal(("rows[41].label", "label", "rows[2].weight"), (keys.Element("labels", 41), keys.Column("labels"), ColumnKeys.TabularElement(TabularFormat.Csv, "weight", 2)));
    }

    [Fact]
    public void Arrow_keys_name_the_column_then_the_index()
    {
        var keys = ColumnKeys.Tabular(TabularFormat.Arrow, Names);

        Assert.Equal(("label[41]", "other"), (keys.Element("labels", 41), keys.Column("other")));
    }
}
