using System.Diagnostics;

namespace LogLossApi.Hosting;

internal static class TraceIds
{
    /// <summary>The W3C trace id of the request: the value problem details return and every log event carries.</summary>
    public static string For(HttpContext context) =>
        Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.TraceIdentifier;
}
