using Portal.Api.Applications.Diff;
using Portal.Web.Components.Applications;

namespace Portal.Tests.Web.Applications;

public sealed class DiffViewTests
{
    [Fact]
    public async Task Hunks_show_their_header_and_added_removed_and_kept_lines()
    {
        var diff = new ApplicationDiff("hello", "v1", "v2", 1, 1,
        [
            new DiffHunk(3, 2, 3, 2, [new DiffLine(" ", "  name: hello"), new DiffLine("-", "    version: v1"), new DiffLine("+", "    version: v2")]),
        ]);
        // The renderer encodes '+' as a character reference; what the browser shows is the decoded text.
        var html = System.Net.WebUtility.HtmlDecode(await ApplicationMarkup.RenderAsync<DiffView>(new Dictionary<string, object?> { [nameof(DiffView.Diff)] = diff }));

        Assert.Contains("@@ -3,2 +3,2 @@", html);
        Assert.Contains("<span class=\"portal-diff-remove\">-    version: v1", html);
        Assert.Contains("<span class=\"portal-diff-add\">+    version: v2", html);
        Assert.Contains("<span class=\"portal-diff-same\">   name: hello", html);
        Assert.Contains("1 line(s) added, 1 removed", html);
    }

    [Fact]
    public async Task Equal_versions_say_so()
    {
        var html = await ApplicationMarkup.RenderAsync<DiffView>(new Dictionary<string, object?> { [nameof(DiffView.Diff)] = new ApplicationDiff("hello", "v1", "v2", 0, 0, []) });
        Assert.Contains("v1 and v2 have the same manifest.", html);
        Assert.DoesNotContain("data-testid=\"diff\"", html);
    }

    [Fact]
    public async Task Manifest_text_is_encoded()
    {
        var diff = new ApplicationDiff("x", "a", "b", 1, 0, [new DiffHunk(1, 0, 1, 1, [new DiffLine("+", "description: <script>")])]);
        var html = await ApplicationMarkup.RenderAsync<DiffView>(new Dictionary<string, object?> { [nameof(DiffView.Diff)] = diff });
        Assert.Contains("&lt;script&gt;", html);
    }
}
