using Portal.Api.Applications.Diff;

namespace Portal.Tests.Unit.Applications;

public sealed class LineDiffTests
{
    private static string[] Numbered(int count, Func<int, string?>? change = null) =>
        Enumerable.Range(1, count).Select(i => change?.Invoke(i) ?? $"line {i}").ToArray();

    /// <summary>Applying the hunks' kept and added lines in place of the old ones must give the new text.</summary>
    private static string[] Apply(IReadOnlyList<string> from, IReadOnlyList<DiffHunk> hunks)
    {
        var result = new List<string>();
        var next = 1;
        foreach (var hunk in hunks)
        {
            var start = hunk.FromCount == 0 ? hunk.FromStart + 1 : hunk.FromStart;
            while (next < start) result.Add(from[next++ - 1]);
            foreach (var line in hunk.Lines)
            {
                if (line.Op != "+") Assert.Equal(from[next++ - 1], line.Text);
                if (line.Op != "-") result.Add(line.Text);
            }
        }

        while (next <= from.Count) result.Add(from[next++ - 1]);
        return [.. result];
    }

    [Fact]
    public void Identical_texts_have_no_hunks() => Assert.Empty(LineDiff.Compare(Numbered(5), Numbered(5)));

    [Fact]
    public void One_changed_line_is_one_hunk_with_three_lines_of_context()
    {
        var from = Numbered(20);
        var to = Numbered(20, i => i == 10 ? "changed" : null);

        var hunk = Assert.Single(LineDiff.Compare(from, to));

        Assert.Equal("@@ -7,7 +7,7 @@", hunk.Header);
        Assert.Equal([" ", " ", " ", "-", "+", " ", " ", " "], hunk.Lines.Select(l => l.Op));
        Assert.Equal(to, Apply(from, [hunk]));
    }

    [Fact]
    public void Changes_far_apart_are_separate_hunks_and_close_ones_share_one()
    {
        var from = Numbered(40);
        var to = Numbered(40, i => i is 3 or 6 or 30 ? $"new {i}" : null);

        var hunks = LineDiff.Compare(from, to);

        Assert.Equal(2, hunks.Count);
        Assert.Equal(to, Apply(from, hunks));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    [InlineData(7, 9)]
    public void Insertions_and_deletions_at_the_edges_apply_back(int fromCount, int toCount)
    {
        var from = Numbered(fromCount);
        string[] to = [.. Numbered(toCount).Select(l => l + "!").Take(2), .. Numbered(toCount).Skip(2)];

        Assert.Equal(to, Apply(from, LineDiff.Compare(from, to)));
    }
}
