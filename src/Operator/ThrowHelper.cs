using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace KubeCache.Operator;

/// <summary>The one place this project throws from, so messages stay consistent.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowUnsupportedSchemaType(Type type, string where) =>
        throw new NotSupportedException(
            $"CRD generation: {where} has type {type.Name}, which has no schema mapping; use a string, number, bool, list, string-keyed dictionary, class, IntOrString, Quantity, or a JsonObject marked [PreserveUnknownFields].");

    [DoesNotReturn]
    public static JsonNode UnsupportedSchemaValue(object value) =>
        throw new NotSupportedException(
            $"CRD generation: a schema value of type {value.GetType().Name} is not supported; use string, int, long or bool.");

    [DoesNotReturn]
    public static void ThrowMissingAttribute(Type type, string attribute) =>
        throw new InvalidOperationException($"CRD generation: {type.Name} needs [{attribute}] to be generated as a custom resource.");

    [DoesNotReturn]
    public static void ThrowUnreadyOwner(string cluster, string field) =>
        throw new ArgumentException(
            $"KvCluster \"{cluster}\" has no {field}; build objects from the KvCluster as read from the API server, which sets it.",
            "cluster");

    [DoesNotReturn]
    public static void ThrowRingOfOtherCluster(string cluster, string ringCluster) =>
        throw new ArgumentException(
            $"The ring document belongs to cluster \"{ringCluster}\", not to KvCluster \"{cluster}\"; build it with the KvCluster's name.",
            "ring");

    [DoesNotReturn]
    public static void ThrowTlsSecretWithoutCa(string secretName, string problem) =>
        throw new InvalidOperationException(
            $"spec.tls: TLS Secret \"{secretName}\" cannot be used: {problem}. It needs ca.crt, the CA that nodes, routers and the operator verify the pods' certificates against (cert-manager writes it for a CA issuer).");
}
