namespace KubeCache.Router.Routing;

/// <summary>A request arrived before the router has a ring to route by.</summary>
public sealed class NoRingException()
    : Exception("the router has no ring yet: it routes once the ring file (or local mode) provides one");
