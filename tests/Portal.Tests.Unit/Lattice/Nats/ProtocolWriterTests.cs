using System.Buffers;
using System.Text;
using Portal.Lattice.Nats;

namespace Portal.Tests.Unit.Lattice.Nats;

public sealed class ProtocolWriterTests
{
    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Pub_with_and_without_reply_subject()
    {
        Assert.Equal("PUB a.b 5\r\nhello\r\n", Write(w => ProtocolWriter.WritePublish(w, "a.b", null, null, "hello"u8)));
        Assert.Equal("PUB a.b _INBOX.x.1 0\r\n\r\n", Write(w => ProtocolWriter.WritePublish(w, "a.b", "_INBOX.x.1", null, default)));
    }

    [Fact]
    public void Hpub_counts_header_bytes_and_total_bytes()
    {
        var headers = new NatsHeaders().Add("KV-Operation", "DEL");

        var text = Write(w => ProtocolWriter.WritePublish(w, "$KV.b.k", "r", headers, "xy"u8));

        const string block = "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n";
        Assert.Equal($"HPUB $KV.b.k r {block.Length} {block.Length + 2}\r\n{block}xy\r\n", text);
    }

    [Fact]
    public void Sub_with_queue_group_and_unsub()
    {
        Assert.Equal("SUB wasmbus.ctl.v1.default.link.* wasmbus.ctl.v1.default.link 12\r\n", Write(w => ProtocolWriter.WriteSubscribe(w, 12, "wasmbus.ctl.v1.default.link.*", "wasmbus.ctl.v1.default.link")));
        Assert.Equal("SUB x 3\r\n", Write(w => ProtocolWriter.WriteSubscribe(w, 3, "x", null)));
        Assert.Equal("UNSUB 3\r\n", Write(w => ProtocolWriter.WriteUnsubscribe(w, 3)));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("a\r\nPUB")]
    public void Subjects_with_whitespace_are_refused(string subject) =>
        Assert.Throws<ArgumentException>(() => ProtocolWriter.ValidateSubject(subject, "subject"));

    [Fact]
    public void Endpoint_takes_credentials_from_options_or_url()
    {
        var fromUrl = NatsEndpoint.Parse(new NatsOpts { Url = "nats://alice:s%40cret@10.0.0.1:4333" });
        var token = NatsEndpoint.Parse(new NatsOpts { Url = "nats://tok@localhost" });
        var opts = NatsEndpoint.Parse(new NatsOpts { Url = "127.0.0.1:5000", User = "bob", Password = "pw" });

        Assert.Equal(("10.0.0.1", 4333, "alice", "s@cret", (string?)null), (fromUrl.Host, fromUrl.Port, fromUrl.User, fromUrl.Password, fromUrl.Token));
        Assert.Equal(("localhost", 4222, "tok"), (token.Host, token.Port, token.Token));
        Assert.Equal(("127.0.0.1", 5000, "bob", "pw"), (opts.Host, opts.Port, opts.User, opts.Password));
    }
}
