using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeCache.Background;

/// <summary>
/// Where a process's background work (timer callbacks, event handlers, hosted loops,
/// fire-and-forget tasks) goes when it fails: the failure is logged with its component and
/// exception, counted in <c>kvcache_background_errors_total{component}</c> on the process's meter,
/// and the process carries on. Nothing that runs off a request may let an exception reach the
/// runtime, which would end the process; every such entry point runs through one of these methods.
/// </summary>
/// <remarks>
/// Components are short stable names (<c>upstream-watchdog</c>, <c>expiry</c>, <c>ring</c>); the
/// same name in the log, the metric and <see cref="FaultInjection"/>. Thread-safe.
/// </remarks>
public sealed partial class BackgroundErrors
{
    /// <summary>The counter's instrument name; Prometheus exposes it as <c>kvcache_background_errors_total</c>.</summary>
    public const string InstrumentName = "kvcache.background.errors";

    /// <summary>A supervised loop that fails waits this long before it runs again, so a loop that fails at once does not spin.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly FaultInjection _faults;

    /// <param name="meters">The process's meter factory; the counter goes on its meter <paramref name="meterName"/>.</param>
    /// <param name="meterName">The process's meter, the one its exporter serves.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="faults">Failures to inject for tests; none when null.</param>
    public BackgroundErrors(IMeterFactory meters, string meterName, ILogger logger, FaultInjection? faults = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _logger = logger;
        _faults = faults ?? FaultInjection.None;
        meters.Create(meterName).CreateObservableCounter(
            InstrumentName,
            () => _counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("component", c.Key))),
            "{error}",
            "Failures of background work (timers, event handlers, loops) that the process survived, by component.");
    }

    private BackgroundErrors(ILogger logger)
    {
        _logger = logger;
        _faults = FaultInjection.None;
    }

    /// <summary>Logs nowhere and counts without a meter: for components used outside a process (tests, tools).</summary>
    public static BackgroundErrors Unobserved { get; } = new(NullLogger.Instance);

    /// <summary>Failures of <paramref name="component"/> so far.</summary>
    public long Count(string component) => _counts.GetValueOrDefault(component);

    /// <summary>Logs and counts a failure of <paramref name="component"/> that the process survives.</summary>
    public void Report(string component, Exception error)
    {
        _counts.AddOrUpdate(component, 1, static (_, n) => n + 1);
        Log.BackgroundFailed(_logger, error, component, error.Message);
    }

    /// <summary>Runs one callback of <paramref name="component"/>; a failure is reported, never thrown.</summary>
    /// <returns>False when it failed.</returns>
    public bool Run(string component, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            _faults.ThrowIfArmed(component);
            work();
            return true;
        }
        catch (Exception e)
        {
            Report(component, e);
            return false;
        }
    }

    /// <summary>Wraps an event handler of <paramref name="component"/> so that its failure is reported, never thrown to the raiser.</summary>
    public Action<T> Guard<T>(string component, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return value => Run(component, () => handler(value));
    }

    /// <inheritdoc cref="Guard{T}(string, Action{T})"/>
    public Action Guard(string component, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return () => Run(component, handler);
    }

    /// <summary>Reports a fire-and-forget task's failure once it ends; cancellation is not a failure.</summary>
    public void Observe(string component, Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.ContinueWith(
            (t, state) => ((BackgroundErrors)state!).Report(component, t.Exception!.GetBaseException()),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Runs a hosted loop of <paramref name="component"/> until <paramref name="stoppingToken"/>
    /// fires or the loop returns. When it throws, the failure is reported and the loop starts
    /// again after <see cref="RestartDelay"/>, rather than stopping the host.
    /// </summary>
    public async Task SuperviseAsync(string component, Func<CancellationToken, Task> loop, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(loop);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _faults.ThrowIfArmed(component);
                await loop(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Report(component, e);
            }

            try
            {
                await Task.Delay(RestartDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Background work {Component} failed; the process carries on: {Problem}")]
        public static partial void BackgroundFailed(ILogger logger, Exception exception, string component, string problem);
    }
}
