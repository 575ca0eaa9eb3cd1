namespace LogLossApi.Wire.Input;

/// <summary>
/// A body or query string that cannot be read as the endpoint's input (a ragged CSV row, a truncated Arrow stream, an
/// unknown column or query parameter): 400 problem details with the error under <see cref="Key"/>.
/// </summary>
public sealed class RequestFormatException : Exception
{
    public RequestFormatException(string key, string message)
        : base(message) => Key = key;

    public RequestFormatException(string key, string message, Exception innerException)
        : base(message, innerException) => Key = key;

    public RequestFormatException()
        : this("$", "The request could not be read.")
    {
    }

    public RequestFormatException(string message)
        : this("$", message)
    {
    }

    public RequestFormatException(string message, Exception innerException)
        : this("$", message, innerException)
    {
    }

    /// <summary>Where the problem is: "rows[41].probability", "probability[41]", "header", "epsilon".</summary>
    public string Key { get; }
}
