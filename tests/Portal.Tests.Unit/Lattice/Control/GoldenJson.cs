using System.Text.Json.Nodes;
using Portal.Lattice.Control;

namespace Portal.Tests.Unit.Lattice.Control;

/// <summary>Compares our serialization with a JSON example from lattice-protocol.md, ignoring whitespace and key order.</summary>
internal static class GoldenJson
{
    public static void AssertSerializesTo<T>(T value, string expectedJson, params string[] ignoredTopLevelKeys)
    {
        var expected = JsonNode.Parse(expectedJson)!;
        var actual = JsonNode.Parse(LatticeJson.Serialize(value))!;
        foreach (var key in ignoredTopLevelKeys)
        {
            expected.AsObject().Remove(key);
            actual.AsObject().Remove(key);
        }

        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected.ToJsonString()}\nbut got\n{actual.ToJsonString()}");
    }

    public static T Read<T>(string json) => LatticeJson.Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(json))!;
}
