using System.Text.Json;
using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>An inspection is stored with its artifact, so it must survive a JSON round trip.</summary>
public sealed class InspectionJsonTests
{
    [Fact]
    public void A_component_inspection_round_trips_through_json()
    {
        var inspection = WasmInspector.Inspect(Component(
            Section(10, Vec([0x00, .. Name("wasi:io/streams@0.2.0"), 0x05, 0x00])),
            Section(11, Vec([0x00, .. Name("wasi:http/incoming-handler@0.2.0"), 0x05, 0x00, 0x00])),
            Custom("producers", Vec([.. Name("language"), .. Vec([.. Name("JavaScript"), .. Name("")])]))));

        var json = JsonSerializer.Serialize(inspection);
        var back = JsonSerializer.Deserialize<WasmInspection>(json)!;

        Assert.Equal(inspection.Kind, back.Kind);
        Assert.Equal(inspection.World!.Imports.ToArray(), back.World!.Imports.ToArray());
        Assert.Equal(inspection.World.Exports.ToArray(), back.World.Exports.ToArray());
        Assert.Equal(inspection.Sections.ToArray(), back.Sections.ToArray());
        Assert.Equal(inspection.CustomSections.ToArray(), back.CustomSections.ToArray());
        Assert.Equal(inspection.Producers[0].Values.ToArray(), back.Producers[0].Values.ToArray());
        Assert.Equal(JsonSerializer.Serialize(back), json);
    }
}
