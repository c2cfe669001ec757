namespace KubeCache.ClientContract.Http;

/// <summary>The status and message a request gets; what a backend answers when it cannot serve a request.</summary>
public readonly record struct HttpFailure(int Status, string Message);
