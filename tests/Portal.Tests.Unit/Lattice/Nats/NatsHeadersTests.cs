using System.Text;
using Portal.Lattice.Nats;

namespace Portal.Tests.Unit.Lattice.Nats;

public sealed class NatsHeadersTests
{
    [Fact]
    public void Writes_the_version_line_fields_and_blank_line()
    {
        var headers = new NatsHeaders().Add("KV-Operation", "DEL").Add("X", "1");

        Assert.Equal("NATS/1.0\r\nKV-Operation: DEL\r\nX: 1\r\n\r\n", headers.ToString());
    }

    [Fact]
    public void Parses_status_code_and_description()
    {
        var headers = NatsHeaders.Parse("NATS/1.0 404 Message Not Found\r\n\r\n"u8);

        Assert.Equal(404, headers.Code);
        Assert.Equal("Message Not Found", headers.Description);
        Assert.Equal(0, headers.Count);
    }

    [Fact]
    public void Parses_no_responders_status_without_description()
    {
        var headers = NatsHeaders.Parse("NATS/1.0 503\r\n\r\n"u8);

        Assert.Equal(503, headers.Code);
        Assert.Null(headers.Description);
    }

    [Fact]
    public void Parses_repeated_keys_in_order_and_looks_up_ignoring_case()
    {
        var headers = NatsHeaders.Parse(Encoding.UTF8.GetBytes("NATS/1.0\r\nNats-Sequence: 7\r\nA: x\r\nA: y:z\r\n\r\n"));

        Assert.Equal("7", headers["nats-sequence"]);
        Assert.Equal(["x", "y:z"], headers.GetValues("A"));
    }

    [Fact]
    public void Indexer_set_replaces_all_values()
    {
        var headers = new NatsHeaders().Add("A", "1").Add("A", "2");

        headers["a"] = "3";

        Assert.Equal(["3"], headers.GetValues("A"));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("bad:key")]
    [InlineData("")]
    public void Rejects_keys_that_would_break_the_block(string key) =>
        Assert.Throws<ArgumentException>(() => new NatsHeaders().Add(key, "v"));
}
