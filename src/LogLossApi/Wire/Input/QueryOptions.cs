using System.Globalization;
using LogLossApi.Scoring;

namespace LogLossApi.Wire.Input;

/// <summary>
/// Options from a query string: only the names an endpoint lists, each parsed strictly; anything else is a 400 naming
/// the parameter.
/// </summary>
public sealed class QueryOptions
{
    private readonly IQueryCollection _query;

    public QueryOptions(IQueryCollection query, IReadOnlyCollection<string> allowed)
    {
        _query = query;
        foreach (var name in query.Keys)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new RequestFormatException(name, $"Is not an option of this endpoint; use {string.Join(", ", allowed)}.");
            }
        }
    }

    public double? Number(string name) =>
        !_query.TryGetValue(name, out var text) ? null
        : double.TryParse(text.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw new RequestFormatException(name, "Must be a finite number.");

    public int? WholeNumber(string name) =>
        !_query.TryGetValue(name, out var text) ? null
        : int.TryParse(text.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new RequestFormatException(name, "Must be an integer.");

    public LossUnit? Unit() => !_query.TryGetValue("unit", out var text) ? null : text.ToString() switch
    {
        "nats" => LossUnit.Nats,
        "bits" => LossUnit.Bits,
        _ => throw new RequestFormatException("unit", "Must be \"nats\" or \"bits\"."),
    };

    public bool? Boolean(string name) => !_query.TryGetValue(name, out var text) ? null : text.ToString() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new RequestFormatException(name, "Must be true or false."),
    };
}
