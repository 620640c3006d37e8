// portal-host: the lattice host. Its control interface and wasm engine arrive with the Lattice work;
// until then it refuses to start rather than pretend to be a host.
Console.Error.WriteLine("portal-host: not built yet (see the Lattice issue).");
return 1;
