using System.Diagnostics;

namespace KubeCache.Router.Upstream;

/// <summary>
/// Told of a request's outcome as it completes: the node's name, whether it got a reply (an error
/// reply included) or failed with <see cref="UpstreamException"/>, and when it was sent
/// (<see cref="Stopwatch.GetTimestamp"/>). Runs on the thread that completes the request.
/// </summary>
public delegate void UpstreamRequestObserver(string node, bool ok, long startTimestamp);
