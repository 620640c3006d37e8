using Portal.Testing;

[assembly: AssemblyFixture(typeof(PortalServers))]
[assembly: AssemblyFixture(typeof(Portal.Tests.E2E.Browser))]
