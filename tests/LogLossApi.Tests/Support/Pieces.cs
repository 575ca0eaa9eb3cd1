using System.Text.Json.Nodes;

namespace LogLossApi.Tests;

/// <summary>Requests cut into pieces of rows, for the merge tests.</summary>
internal static class Pieces
{
    /// <summary>Rows start … end − 1 of a JSON request: every column sliced, each model's predictions too; names kept.</summary>
    public static JsonObject Slice(JsonObject request, int start, int end)
    {
        var piece = new JsonObject();
        foreach (var (name, values) in request)
        {
            piece[name] = name switch
            {
                "classNames" or "name" or "options" => values!.DeepClone(),
                "models" => new JsonArray([.. values!.AsArray().Select(m => (JsonNode)Slice(m!.AsObject(), start, end))]),
                _ => new JsonArray([.. values!.AsArray().Skip(start).Take(end - start).Select(v => v!.DeepClone())]),
            };
        }

        return piece;
    }

    /// <summary>The request as JSON text with its options replaced by the members of every one of <paramref name="options"/> (JSON objects).</summary>
    public static string With(JsonObject request, params string[] options)
    {
        var copy = request.DeepClone().AsObject();
        var merged = new JsonObject();
        foreach (var (name, value) in options.SelectMany(o => JsonNode.Parse(o)!.AsObject()))
        {
            merged[name] = value?.DeepClone();
        }

        copy["options"] = merged;
        return copy.ToJsonString();
    }
}
