using Portal.Host.Providers.KeyValue;

namespace Portal.Tests.Integration.Host;

/// <summary>How wasi:keyvalue keys map onto JetStream KV keys (pure, no servers).</summary>
public sealed class StoreKeyTests
{
    [Theory]
    [InlineData("/counter", "default./counter")]
    [InlineData("user_42-x", "default.user_42-x")]
    [InlineData("a.b", "default.a=2Eb")]
    [InlineData("k=v", "default.k=3Dv")]
    [InlineData("odd key: ü", "default.odd=20key=3A=20=C3=BC")]
    public void Keys_become_one_escaped_token_after_the_bucket_and_come_back_unchanged(string key, string stored)
    {
        Assert.Equal(stored, StoreKey.Encode("default", key));
        Assert.Equal(key, StoreKey.Decode("default", stored));
    }

    [Fact]
    public void Stored_keys_of_other_buckets_or_broken_escapes_are_not_decoded()
    {
        Assert.Null(StoreKey.Decode("default", "other.key"));
        Assert.Null(StoreKey.Decode("default", "default.bad=4"));
        Assert.Null(StoreKey.Decode("default", "default.bad=ZZ"));
        Assert.True(StoreKey.IsValidBucket("counters_v2-eu"));
        Assert.False(StoreKey.IsValidBucket("a.b"));
        Assert.False(StoreKey.IsValidBucket(""));
    }
}
