using System.Collections.Immutable;

namespace Portal.Lattice.Inspection;

/// <summary>
/// Custom sections: every one is listed by name; <c>name</c> / <c>component-name</c> (the binary's own
/// name), <c>producers</c> and the wasmCloud JWT sections are decoded. The tool conventions say a
/// malformed name or producers section must not make a binary invalid, so those are read
/// leniently (a bad one is listed and otherwise ignored); only the first of each is decoded.
/// </summary>
internal static class CustomSectionReader
{
    /// <summary>wascap 0.9 and later write <c>wasmcloud_jwt</c>; earlier versions wrote <c>jwt</c>.</summary>
    public static bool IsClaimsSection(string name) => name is "wasmcloud_jwt" or "jwt";

    public static void Read(ref WasmReader body, long sectionOffset, InspectionBuilder result)
    {
        var size = body.Remaining;
        var name = body.ReadName();
        result.CustomSections.Add(new WasmCustomSection(name, sectionOffset, size));
        switch (name)
        {
            case "name" when result.Kind == WasmBinaryKind.CoreModule && !result.SeenNameSection:
            case "component-name" when result.Kind == WasmBinaryKind.Component && !result.SeenNameSection:
                result.SeenNameSection = true;
                result.Name = TryReadOwnName(ref body);
                break;
            case "producers" when !result.SeenProducersSection:
                result.SeenProducersSection = true;
                TryReadProducers(ref body, result.Producers);
                break;
            case var jwt when IsClaimsSection(jwt) && result.ClaimsSection is null:
                result.ClaimsSection = ((int)body.Offset, body.Remaining, name, sectionOffset);
                break;
        }
    }

    /// <summary>Subsection 0 of a name section holds the module's (component's) own name; it comes first when present.</summary>
    private static string? TryReadOwnName(ref WasmReader body)
    {
        try
        {
            if (body.AtEnd || body.ReadByte() != 0) return null;
            var size = body.ReadU32();
            var sub = body.Slice((int)Math.Min(size, int.MaxValue), "name subsection");
            return sub.ReadName();
        }
        catch (WasmInspectionException)
        {
            return null;
        }
    }

    private static void TryReadProducers(ref WasmReader body, List<WasmProducerField> producers)
    {
        var fields = new List<WasmProducerField>();
        try
        {
            var count = body.ReadCount(2);
            for (var i = 0; i < count; i++)
            {
                var field = body.ReadName();
                var valueCount = body.ReadCount(2);
                var values = new List<WasmProducerValue>((int)valueCount);
                for (var j = 0; j < valueCount; j++) values.Add(new WasmProducerValue(body.ReadName(), body.ReadName()));
                fields.Add(new WasmProducerField(field, [.. values]));
            }

            producers.AddRange(fields);
        }
        catch (WasmInspectionException)
        {
            // Malformed producers: listed as a custom section, not decoded.
        }
    }
}
