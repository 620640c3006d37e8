#:property PublishAot=false
// Build-time helper run with `dotnet run --file`: copies one embedded resource out of an assembly.
// Usage: ExtractBlazorScript.cs <assembly.dll> <resource-name-suffix> <output-file>
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ExtractBlazorScript.cs <assembly> <resource-suffix> <output>");
    return 2;
}

using var stream = File.OpenRead(args[0]);
using var pe = new PEReader(stream);
var metadata = pe.GetMetadataReader();
foreach (var handle in metadata.ManifestResources)
{
    var resource = metadata.GetManifestResource(handle);
    if (!metadata.GetString(resource.Name).EndsWith(args[1], StringComparison.Ordinal)) continue;

    // Embedded resources sit in the CLI header's resources block, each prefixed by its length.
    var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
    var block = pe.GetSectionData(directory.RelativeVirtualAddress);
    var reader = block.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
    var bytes = reader.ReadBytes(reader.ReadInt32());
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
    File.WriteAllBytes(args[2], bytes);
    return 0;
}

Console.Error.WriteLine($"no resource ending in {args[1]} in {args[0]}");
return 1;
