using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>Component structure from hand-assembled binaries; the real componentize-js component is in the integration tests.</summary>
public sealed class ComponentInspectionTests
{
    [Fact]
    public void Imports_and_exports_become_the_world()
    {
        var component = Component(
            // type 0: (instance (export "handle" (func))) written as an instance type with one func type and one export
            Section(7, Vec([0x42, .. Vec([0x01, 0x40, 0x00, 0x01, 0x00], [0x04, 0x00, .. Name("handle"), 0x01, 0x00])])),
            Section(10, Vec(
                [0x00, .. Name("wasi:http/types@0.2.0"), 0x05, 0x00],       // instance import
                [0x00, .. Name("run"), 0x01, 0x00],                          // plain function import
                // name form 0x02 with a version-suffix attribute: "@0.2" + ".3"
                [0x02, .. Name("wasi:io/streams@0.2"), .. Vec([0x01, .. Name(".3")]), 0x05, 0x00])),
            Section(11, Vec([0x00, .. Name("wasi:http/incoming-handler@0.2.0"), 0x05, 0x00, 0x00])));

        var world = WasmInspector.Inspect(component).World!;

        Assert.Equal(["wasi:http/types@0.2.0", "run", "wasi:io/streams@0.2.3"], world.Imports.Select(i => i.Name));
        Assert.Equal(["wasi:http/types@0.2.0", "wasi:io/streams@0.2.3"], world.ImportedInterfaces);
        Assert.Null(world.Imports[1].Interface);
        Assert.Equal(WitItemKind.Function, world.Imports[1].Kind);
        Assert.Equal(new WitInterfaceName("wasi", "http", "incoming-handler", "0.2.0"), Assert.Single(world.Exports).Interface);
    }

    [Fact]
    public void Nested_components_and_modules_are_counted_and_their_imports_are_not_the_world()
    {
        var inner = Component(Section(10, Vec([0x00, .. Name("wasi:cli/stdout@0.2.0"), 0x05, 0x00])));
        var inspection = WasmInspector.Inspect(Component(Section(1, ModulePreamble), Section(4, inner), Custom("producers", Vec())));

        Assert.Equal(1, inspection.NestedCoreModules);
        Assert.Equal(1, inspection.NestedComponents);
        Assert.Empty(inspection.World!.Imports);
        Assert.Equal(["core module", "component"], inspection.Sections.Select(s => s.Name));
        Assert.Equal("producers", Assert.Single(inspection.CustomSections).Name);
    }

    [Theory]
    [InlineData("wasi:http/incoming-handler@0.2.0", "wasi", "http", "incoming-handler", "0.2.0")]
    [InlineData("wasi:keyvalue/store", "wasi", "keyvalue", "store", null)]
    [InlineData("my-org:pkg/iface@1.0.0-rc.1+build", "my-org", "pkg", "iface", "1.0.0-rc.1+build")]
    public void Interface_names_parse(string text, string ns, string package, string iface, string? version)
    {
        var name = WitInterfaceName.TryParse(text)!;

        Assert.Equal(new WitInterfaceName(ns, package, iface, version), name);
        Assert.Equal(text, name.ToString());
        Assert.Equal($"{ns}:{package}/{iface}", name.Unversioned);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("[method]fields.get")]
    [InlineData("wasi:http")]
    [InlineData("wasi:http/")]
    [InlineData(":http/types")]
    [InlineData("wasi:http/types@")]
    public void Plain_names_are_not_interfaces(string text) => Assert.Null(WitInterfaceName.TryParse(text));
}
