using Portal.Api.Audit;
using Portal.Data.Audit;

namespace Portal.Tests.Unit.Audit;

public sealed class AuditHasherTests
{
    private static AuditEvent Sample() => new()
    {
        TenantId = Guid.Parse("0195f0a0-0000-7000-8000-000000000001"),
        Sequence = 3,
        OccurredAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        ActorType = "user",
        ActorId = "u1",
        ActorName = "Ada",
        Action = "tenant.update",
        TargetType = "tenant",
        TargetId = "demo",
        Before = """{"displayName":"Demo"}""",
        After = """{"displayName":"Demo Co"}""",
        PreviousHash = AuditHasher.Genesis,
        Hash = "",
    };

    [Fact]
    public void Same_content_gives_the_same_hash()
    {
        Assert.Equal(AuditHasher.Compute(Sample()), AuditHasher.Compute(Sample()));
        Assert.Matches("^[0-9a-f]{64}$", AuditHasher.Compute(Sample()));
    }

    [Theory]
    [InlineData("action")]
    [InlineData("after")]
    [InlineData("previous")]
    [InlineData("sequence")]
    [InlineData("time")]
    public void Changing_any_field_changes_the_hash(string field)
    {
        var changed = Sample();
        switch (field)
        {
            case "action": changed.Action = "tenant.delete"; break;
            case "after": changed.After = """{"displayName":"Evil"}"""; break;
            case "previous": changed.PreviousHash = new string('1', 64); break;
            case "sequence": changed.Sequence = 4; break;
            case "time": changed.OccurredAt = changed.OccurredAt.AddTicks(10); break;
        }

        Assert.NotEqual(AuditHasher.Compute(Sample()), AuditHasher.Compute(changed));
    }

    [Fact]
    public void Moving_text_between_fields_changes_the_hash()
    {
        var a = Sample(); a.ActorId = "u1"; a.ActorName = "Ada";
        var b = Sample(); b.ActorId = "u1A"; b.ActorName = "da";
        Assert.NotEqual(AuditHasher.Compute(a), AuditHasher.Compute(b));
    }
}
