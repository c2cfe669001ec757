namespace KubeCache.FakeApiServer.Auth;

/// <summary>Who a request comes from, as the apiserver's authenticators name users.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The group RBAC never checks: its members may do everything.</summary>
    public const string MastersGroup = "system:masters";

    /// <summary>The cluster administrator a kubeconfig from <see cref="FakeApiServer.WriteKubeconfig"/> authenticates as.</summary>
    public static readonly UserInfo Admin = new("kubernetes-admin", [MastersGroup, "system:authenticated"]);

    /// <summary>A service account's user: <c>system:serviceaccount:ns:name</c> in the service-account groups.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    public bool IsMaster => Groups.Contains(MastersGroup);
}
