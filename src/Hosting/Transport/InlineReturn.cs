namespace KubeCache.Hosting.Transport;

/// <summary>
/// When a connection served from its pipes goes back to its event loop (<see cref="IInlineServingFeature"/>):
/// after a run of batches from the pipes whose requests all answered at once, one batch long at
/// first, twice as long each time the connection left the loop again after fewer than
/// <see cref="WorthwhileRequests"/> requests (up to <see cref="MaxRequiredBatches"/>), and one again
/// after a stay that long. Each switch costs a hand-over between the loop and the pipes, so a
/// connection whose requests that may wait come often (one MGET in ten, say) stays on its pipes,
/// and one whose come now and then returns after each. The figures are bench/mixed-commands.sh's.
/// </summary>
internal sealed class InlineReturn
{
    /// <summary>Requests answered on the loop that pay for a switch there and back.</summary>
    public const int WorthwhileRequests = 32;

    public const int MaxRequiredBatches = 1024;

    private int _required = 1;
    private int _run;

    /// <summary>The connection left the loop after answering <paramref name="requests"/> there.</summary>
    public void Left(int requests)
    {
        _required = requests >= WorthwhileRequests ? 1 : Math.Min(2 * _required, MaxRequiredBatches);
        _run = 0;
    }

    /// <summary>A batch from the pipes ended; true when the connection goes back to the loop now.</summary>
    /// <param name="atOnce">Whether every request of the batch would have been answered on the loop, and nothing is left over.</param>
    public bool BatchServed(bool atOnce)
    {
        _run = atOnce ? _run + 1 : 0;
        return _run >= _required;
    }
}
