namespace KubeCache.Conformance.Tests;

/// <summary>The scenarios against the fake API server (HTTPS, tokens, RBAC), as every other test uses it.</summary>
public sealed class FakeApiServerConformanceTests(FakeTarget target) : Scenarios(target), IClassFixture<FakeTarget>;

/// <summary>The same scenarios against a real apiserver (k3s); skipped where no Docker engine runs.</summary>
public sealed class K3sConformanceTests(K3sTarget target) : Scenarios(target), IClassFixture<K3sTarget>;
