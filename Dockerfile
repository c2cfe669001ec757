# syntax=docker/dockerfile:1
# The KubeCache images, one target each, named as the image. Build context: the repository root
#   docker build --target node -t ghcr.io/kubecache/kvcache-node:0.1.0 .
#   docker build --target router -t ghcr.io/kubecache/kvcache-router:0.1.0 .
#   docker build --target operator -t ghcr.io/kubecache/kvcache-operator:0.1.0 .
# The three targets share the build stage, so building them in turn compiles the sources once.

# Build stage: restore from the project files alone first, so the restore layer is reused until a
# project file or a package version changes; then publish each process into /app/<project>.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Protocol/KubeCache.Protocol.csproj src/Protocol/
COPY src/Prometheus/KubeCache.Prometheus.csproj src/Prometheus/
COPY src/Topology/KubeCache.Topology.csproj src/Topology/
COPY src/Background/KubeCache.Background.csproj src/Background/
COPY src/Configuration/KubeCache.Configuration.csproj src/Configuration/
COPY src/HttpContract/KubeCache.HttpContract.csproj src/HttpContract/
COPY src/ClientContract/KubeCache.ClientContract.csproj src/ClientContract/
COPY src/Security/KubeCache.Security.csproj src/Security/
COPY src/Hosting/KubeCache.Hosting.csproj src/Hosting/
COPY src/Kubernetes/KubeCache.Kubernetes.csproj src/Kubernetes/
COPY src/CacheNode/KubeCache.CacheNode.csproj src/CacheNode/
COPY src/Router/KubeCache.Router.csproj src/Router/
COPY src/Operator/KubeCache.Operator.csproj src/Operator/
# Our assemblies are compiled ahead of time (ReadyToRun) for the image's architecture (BuildKit's
# TARGETARCH, amd64 or arm64, which dotnet's -a takes as is), so a new pod answers its first
# requests without waiting for the JIT; hot methods are still recompiled by the tiered JIT.
ARG TARGETARCH
RUN for project in CacheNode Router Operator; do \
      dotnet restore src/$project/KubeCache.$project.csproj -a $TARGETARCH -p:PublishReadyToRun=true || exit 1; \
    done
COPY src/ src/
RUN for project in CacheNode Router Operator; do \
      dotnet publish src/$project/KubeCache.$project.csproj -c Release --no-restore -o /app/$project -a $TARGETARCH -p:PublishReadyToRun=true -p:UseAppHost=false || exit 1; \
    done

# Runtime stage: the chiseled ASP.NET image has no shell or package manager and runs as the
# non-root user "app". Nothing is written outside /tmp, so the pod can mount its root read-only.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
ENV TMPDIR=/tmp
# APP_UID is 1654 ("app") in every official .NET image; a numeric user lets Kubernetes verify runAsNonRoot.
USER $APP_UID

FROM runtime AS node
COPY --from=build /app/CacheNode ./
EXPOSE 7171 6379
ENTRYPOINT ["dotnet", "KubeCache.CacheNode.dll"]

FROM runtime AS router
COPY --from=build /app/Router ./
EXPOSE 7171 6379
ENTRYPOINT ["dotnet", "KubeCache.Router.dll"]

FROM runtime AS operator
COPY --from=build /app/Operator ./
EXPOSE 8080
ENTRYPOINT ["dotnet", "KubeCache.Operator.dll"]
