using Portal.Api.Members;
using Portal.Data.Tenants;

namespace Portal.Tests.Unit.Members;

public sealed class RoleParsingTests
{
    [Theory]
    [InlineData("Owner", TenantRole.Owner)]
    [InlineData("viewer", TenantRole.Viewer)]
    [InlineData("DEVELOPER", TenantRole.Developer)]
    public void Role_names_parse_in_any_case(string text, TenantRole expected)
    {
        Assert.True(MemberService.TryParseRole(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("Superuser")]
    [InlineData("")]
    [InlineData(null)]
    public void Numbers_and_unknown_names_are_not_roles(string? text) =>
        // "0" would otherwise parse as the enum's first value, Owner.
        Assert.False(MemberService.TryParseRole(text, out _));
}
