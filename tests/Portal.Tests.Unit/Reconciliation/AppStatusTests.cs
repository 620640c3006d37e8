using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class AppStatusTests
{
    [Theory]
    [InlineData(new[] { StatusType.Deployed, StatusType.Failed, StatusType.Undeployed }, StatusType.Failed)]
    [InlineData(new[] { StatusType.Deployed, StatusType.Waiting, StatusType.Undeployed }, StatusType.Undeployed)]
    [InlineData(new[] { StatusType.Reconciling, StatusType.Waiting }, StatusType.Waiting)]
    [InlineData(new[] { StatusType.Unhealthy, StatusType.Reconciling }, StatusType.Reconciling)]
    [InlineData(new[] { StatusType.Deployed, StatusType.Unhealthy }, StatusType.Unhealthy)]
    [InlineData(new[] { StatusType.Deployed, StatusType.Deployed }, StatusType.Deployed)]
    [InlineData(new StatusType[0], StatusType.Undeployed)]
    public void Aggregate_follows_wadms_precedence(StatusType[] types, StatusType expected) =>
        Assert.Equal(expected, StatusInfo.Aggregate(types.Select(t => new StatusInfo(t))).Type);

    [Fact]
    public void Aggregate_joins_non_empty_messages_with_comma()
    {
        var status = StatusInfo.Aggregate([StatusInfo.Reconciling("Scaling component on 1 host(s)"), StatusInfo.Deployed(), StatusInfo.Reconciling("Configuration out of sync")]);
        Assert.Equal("Scaling component on 1 host(s), Configuration out of sync", status.Message);
    }

    [Fact]
    public void Serialises_as_wadm_does()
    {
        var status = AppStatus.From([new ScalerStatus("abc", "SpreadScaler", "shop-web", StatusInfo.Deployed()), new ScalerStatus("def", "LinkScaler", "l", StatusInfo.Reconciling("x"))]);
        Assert.Equal(
            """{"status":{"type":"reconciling","message":"x"},"scalers":[{"id":"abc","kind":"SpreadScaler","name":"shop-web","status":{"type":"deployed"}},{"id":"def","kind":"LinkScaler","name":"l","status":{"type":"reconciling","message":"x"}}],"version":"","components":[]}""",
            status.ToJson());
        Assert.Equal("""{"status":{"type":"undeployed"},"version":"","components":[]}""", AppStatus.From([]).ToJson());
        Assert.Equal("""{"status":{"type":"undeployed","message":"Manifest has been undeployed"},"version":"","components":[]}""", AppStatus.UndeployedApp.ToJson());
        var back = AppStatus.FromJson(System.Text.Encoding.UTF8.GetBytes(status.ToJson()))!;
        Assert.Equal(StatusType.Reconciling, back.Status.Type);
        Assert.Equal(2, back.Scalers!.Count);
    }
}
