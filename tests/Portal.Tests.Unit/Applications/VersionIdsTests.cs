using Portal.Api.Applications;

namespace Portal.Tests.Unit.Applications;

public sealed class VersionIdsTests
{
    [Fact]
    public void Ulids_are_26_crockford_characters_and_sort_by_time()
    {
        var earlier = VersionIds.NewUlid(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var later = VersionIds.NewUlid(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001));

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", earlier);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        // The first ten characters are the timestamp: 1700000000000 ms is 01HF7YAT00 in ULID's base32.
        Assert.StartsWith("01HF7YAT00", earlier);
    }
}
