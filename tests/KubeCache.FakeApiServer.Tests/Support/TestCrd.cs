namespace KubeCache.FakeApiServer.Tests.Support;

/// <summary>A KvCluster CRD written for these tests (scale, status, printer columns, defaults, a keyed list).</summary>
internal static class TestCrd
{
    public const string Group = "kubecache.io";
    public const string Plural = "kvclusters";
    public const string ApiVersion = "kubecache.io/v1alpha1";

    public const string Yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: kvclusters.kubecache.io
        spec:
          group: kubecache.io
          scope: Namespaced
          names:
            plural: kvclusters
            singular: kvcluster
            kind: KvCluster
            shortNames: [kvc]
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources:
              status: {}
              scale:
                specReplicasPath: .spec.replicas
                statusReplicasPath: .status.replicas
                labelSelectorPath: .status.selector
            additionalPrinterColumns:
            - {name: Desired, type: integer, jsonPath: .spec.replicas}
            - {name: Ready, type: integer, jsonPath: .status.readyReplicas}
            - {name: Phase, type: string, jsonPath: .status.phase}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer, minimum: 0, default: 3}
                      image: {type: string}
                      maxKeyBytes: {type: integer, default: 256}
                      tags: {type: array, items: {type: string}}
                      router:
                        type: object
                        properties:
                          serviceType: {type: string, enum: [ClusterIP, NodePort, LoadBalancer], default: ClusterIP}
                      extra:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
                      readyReplicas: {type: integer}
                      selector: {type: string}
                      phase: {type: string}
                      observedGeneration: {type: integer, format: int64}
                      conditions:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [type]
                        items:
                          type: object
                          required: [type, status]
                          properties:
                            type: {type: string}
                            status: {type: string}
                            reason: {type: string}
                            message: {type: string}
        """;

    public static string KvCluster(string name, int replicas, string ns = "default") => $$"""
        apiVersion: kubecache.io/v1alpha1
        kind: KvCluster
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          replicas: {{replicas}}
          image: ghcr.io/kubecache/kvcache-node:0.1.0
        """;
}
