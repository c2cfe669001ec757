// The router host (HTTP and RESP fronts, ring membership) is not wired up yet; until it is, the
// executable says so and exits with the usage status rather than pretending to serve.
Console.Error.WriteLine("usage: kvcache-router [options]");
Console.Error.WriteLine("kvcache-router: the router host is not available yet; only its upstream layer is built.");
return 2;
