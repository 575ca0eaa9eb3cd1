using LogLossApi.Wire.Input.Tabular;

namespace LogLossApi.BinaryLogLoss;

/// <summary>The media type a binary score is answered in.</summary>
public enum LossesFormat
{
    /// <summary>The JSON report (the default).</summary>
    Json,

    /// <summary>The per-sample losses as <c>text/csv</c>.</summary>
    Csv,

    /// <summary>The per-sample losses as an Arrow IPC stream, the report in its schema's metadata.</summary>
    Arrow,
}

public static class LossesAnswer
{
    /// <summary>
    /// What the Accept header prefers: CSV or Arrow when it lists one with a quality above 0 and at least JSON's (and
    /// at least the other's, Arrow winning a tie with CSV); otherwise JSON.
    /// </summary>
    public static LossesFormat Of(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string mediaType) =>
            accept.Where(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1.0).DefaultIfEmpty(-1).Max();

        var (json, csv, arrow) = (Quality("application/json"), Quality(TabularReader.CsvMediaType), Quality(TabularReader.ArrowMediaType));
        return arrow > 0 && arrow >= json && arrow >= csv ? LossesFormat.Arrow
            : csv > 0 && csv >= json ? LossesFormat.Csv
            : LossesFormat.Json;
    }
}
