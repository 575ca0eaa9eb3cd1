using System.Collections;

namespace LogLossApi.Scoring.Tests;

/// <summary>What the merge properties share: pieces merged in a random tree, and reports compared number by number.</summary>
internal static class States
{
    /// <summary>Builds one accumulator per piece, then merges random pairs until one is left.</summary>
    public static T MergeRandomly<T>((int[] Cuts, int Seed) pieces, Func<int, int, T> build, Action<T, T> merge)
    {
        var parts = new List<T>();
        for (var i = 0; i + 1 < pieces.Cuts.Length; i++)
        {
            parts.Add(build(pieces.Cuts[i], pieces.Cuts[i + 1]));
        }

        var random = new Random(pieces.Seed);
        while (parts.Count > 1)
        {
            var i = random.Next(parts.Count);
            var j = random.Next(parts.Count - 1);
            j += j >= i ? 1 : 0;
            merge(parts[i], parts[j]);
            parts.RemoveAt(j);
        }

        return parts[0];
    }

    /// <summary>
    /// Every number of two reports equal to <paramref name="tolerance"/> relative or <paramref name="absolute"/>; a standard
    /// error also to 1e-13 absolute, since the standard error of identical losses is the rounding of their mean (0 or a
    /// few ulps of the loss, which reaches 745 nats).
    /// </summary>
    public static void AssertClose(object? expected, object? actual, double tolerance, double absolute = 1e-15, string path = "report")
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case double e:
                Assert.True(actual is double, $"{path}: {e} expected, {actual ?? "null"} actual");
                var a = (double)actual!;
                if (double.IsFinite(e))
                {
                    Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1e-300, Math.Abs(e)) || Math.Abs(e - a) <= (path.EndsWith("StandardError", StringComparison.Ordinal) ? Math.Max(absolute, 1e-13) : absolute), $"{path}: {e} expected, {a} actual");
                }
                else
                {
                    Assert.Equal(e, a);
                }

                break;
            case string or long or int or bool or Enum:
                Assert.Equal(expected, actual);
                break;
            case IEnumerable list:
                var others = ((IEnumerable)actual!).Cast<object?>().ToList();
                var items = list.Cast<object?>().ToList();
                Assert.Equal(items.Count, others.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    AssertClose(items[i], others[i], tolerance, absolute, $"{path}[{i}]");
                }

                break;
            default:
                foreach (var property in expected.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
                {
                    AssertClose(property.GetValue(expected), property.GetValue(actual), tolerance, absolute, $"{path}.{property.Name}");
                }

                break;
        }
    }
}
