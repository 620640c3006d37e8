namespace Portal.Api.Applications.Diff;

/// <summary>
/// A line diff (Myers' O(ND) shortest edit script) grouped into unified-diff hunks with
/// <see cref="Context"/> unchanged lines around each change. Manifests are small, and the trace
/// of V arrays costs O(D·(N+M)), so no limit beyond the request's body limit is needed.
/// </summary>
public static class LineDiff
{
    public const int Context = 3;

    public static IReadOnlyList<DiffHunk> Compare(IReadOnlyList<string> from, IReadOnlyList<string> to)
    {
        var edits = Script(from, to);
        return Hunks(edits);
    }

    public static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    /// <summary>The edit script: every line of both inputs once, as kept, removed or added, in order.</summary>
    internal static List<(char Op, string Text, int FromLine, int ToLine)> Script(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        int n = a.Count, m = b.Count, max = n + m, offset = max + 1;
        var v = new int[2 * max + 2];
        var trace = new List<int[]>();
        var found = false;
        for (var d = 0; d <= max && !found; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                // Step down (an insertion) from diagonal k+1, or right (a deletion) from k-1: whichever reached further.
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y]) { x++; y++; }
                v[offset + k] = x;
                if (x >= n && y >= m) { found = true; break; }
            }
        }

        // Walk the trace back from the end to recover the path, collecting edits in reverse.
        var edits = new List<(char, string, int, int)>();
        int cx = n, cy = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var vd = trace[d];
            var k = cx - cy;
            var prevK = k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
            var prevX = d == 0 ? 0 : vd[offset + prevK];
            var prevY = prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--; cy--;
                edits.Add((' ', a[cx], cx + 1, cy + 1));
            }

            if (d == 0) break;
            if (cx == prevX) { cy--; edits.Add(('+', b[cy], cx, cy + 1)); }
            else { cx--; edits.Add(('-', a[cx], cx + 1, cy)); }
        }

        while (cx > 0 && cy > 0) { cx--; cy--; edits.Add((' ', a[cx], cx + 1, cy + 1)); }
        edits.Reverse();
        return edits;
    }

    private static List<DiffHunk> Hunks(List<(char Op, string Text, int FromLine, int ToLine)> edits)
    {
        var hunks = new List<DiffHunk>();
        var i = 0;
        while (i < edits.Count)
        {
            while (i < edits.Count && edits[i].Op == ' ') i++;
            if (i == edits.Count) break;
            var start = Math.Max(0, i - Context);
            // Extend while the next change is within two contexts of the last one: they share a hunk.
            var end = i;
            var lastChange = i;
            while (end < edits.Count)
            {
                if (edits[end].Op != ' ') lastChange = end;
                else if (end - lastChange > 2 * Context) break;
                end++;
            }

            end = Math.Min(edits.Count, lastChange + Context + 1);
            var slice = edits.GetRange(start, end - start);
            var fromStart = FirstLine(edits, start, from: true);
            var toStart = FirstLine(edits, start, from: false);
            hunks.Add(new DiffHunk(
                fromStart, slice.Count(e => e.Op != '+'),
                toStart, slice.Count(e => e.Op != '-'),
                slice.Select(e => new DiffLine(e.Op.ToString(), e.Text)).ToList()));
            i = end;
        }

        return hunks;
    }

    /// <summary>The 1-based line a hunk starts at on one side (as unified diff counts: the line before when that side is empty).</summary>
    private static int FirstLine(List<(char Op, string Text, int FromLine, int ToLine)> edits, int start, bool from)
    {
        for (var j = start; j < edits.Count; j++)
        {
            var e = edits[j];
            if (from && e.Op != '+') return e.FromLine;
            if (!from && e.Op != '-') return e.ToLine;
        }

        return from ? edits[start].FromLine : edits[start].ToLine;
    }
}

/// <summary>A unified-diff hunk: <c>@@ -FromStart,FromCount +ToStart,ToCount @@</c> and its lines.</summary>
public sealed record DiffHunk(int FromStart, int FromCount, int ToStart, int ToCount, IReadOnlyList<DiffLine> Lines)
{
    public string Header => $"@@ -{FromStart},{FromCount} +{ToStart},{ToCount} @@";
}

/// <param name="Op"><c>" "</c> unchanged, <c>"-"</c> only in the older version, <c>"+"</c> only in the newer.</param>
public sealed record DiffLine(string Op, string Text);

/// <summary>The difference between two versions' canonical YAML.</summary>
public sealed record ApplicationDiff(string Application, string From, string To, int Added, int Removed, IReadOnlyList<DiffHunk> Hunks);
