using Portal.Testing;

[assembly: AssemblyFixture(typeof(PortalServers))]
