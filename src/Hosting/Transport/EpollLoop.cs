using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static KubeCache.Hosting.Transport.LinuxNative;

namespace KubeCache.Hosting.Transport;

/// <summary>
/// One event-loop thread: waits in <c>epoll_wait</c> on its connections (edge-triggered, each
/// registered once) and reads a connection only when the kernel says it is readable, so a
/// request-reply client costs one read per request, not a read that finds nothing before every
/// wait. Work from other threads (a paused connection resuming) is posted to the loop and wakes it
/// through an eventfd.
/// </summary>
internal sealed unsafe class EpollLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<(Action<object?> Work, object? State)> _posted = new();
    private List<Action> _endOfBatch = [];
    private List<Action> _running = [];
    private byte[]? _inlineInput;
    private InlineOutput? _inlineOutput;
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private EpollConnection?[] _slots = new EpollConnection?[64];
    private int _usedSlots;
    private uint _generation;
    private int _wakePending;
    private volatile bool _stopping;
    private readonly Lock _stopLock = new();
    private bool _stopped;

    public EpollLoop(string name)
    {
        _epoll = epoll_create1(EPOLL_CLOEXEC);
        if (_epoll < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        _wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        int added = _wake < 0 ? -Marshal.GetLastPInvokeError() : Add(_epoll, _wake, EPOLLIN, WakeToken);
        if (added < 0)
        {
            close(_epoll);
            throw new SocketException(-added);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>True on the loop's own thread.</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>True once the loop has stopped: work posted from then on runs on its poster's thread, and nothing waits for the end of a batch.</summary>
    public bool Stopped => Volatile.Read(ref _stopped);

    /// <summary>Adds a connection's socket; its events go to <see cref="EpollConnection.OnEvents"/> from now on.</summary>
    public void Register(EpollConnection connection, int fd)
    {
        lock (_slotsLock)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _usedSlots++;
            if (slot == _slots.Length)
            {
                EpollConnection?[] grown = new EpollConnection?[_slots.Length * 2];
                Array.Copy(_slots, grown, _slots.Length);
                Volatile.Write(ref _slots, grown);
            }

            connection.Token = ((ulong)++_generation << 32) | (uint)slot;
            Volatile.Write(ref _slots[slot], connection);
        }

        int added = Add(_epoll, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, connection.Token);
        if (added < 0)
        {
            Unregister(connection);
            throw new SocketException(-added);
        }
    }

    /// <summary>Forgets a connection before its socket closes (closing removes it from epoll); later events for its slot are dropped.</summary>
    public void Unregister(EpollConnection connection)
    {
        lock (_slotsLock)
        {
            int slot = (int)(uint)connection.Token;
            if (ReferenceEquals(_slots[slot], connection))
            {
                Volatile.Write(ref _slots[slot], null);
                _freeSlots.Push(slot);
            }
        }
    }

    /// <summary>
    /// On the loop thread: an awaitable that resumes once every event of the current batch has
    /// been handled, before the loop waits again. Writes wait for it, so the replies to all the
    /// clients that were ready go out together, as Redis writes them before it sleeps: a client
    /// that is woken once finds all of them.
    /// </summary>
    public EndOfBatchAwaitable EndOfBatch() => new(this);

    /// <summary>On the loop thread: runs <paramref name="action"/> once every event of the current batch has been handled (see <see cref="EndOfBatch"/>).</summary>
    public void AtEndOfBatch(Action action) => _endOfBatch.Add(action);

    /// <summary>
    /// On the loop thread: the buffer connections served inline read into. One per loop is
    /// enough, since a connection consumes what it read before the loop turns to the next.
    /// </summary>
    public byte[] InlineInput => _inlineInput ??= new byte[EpollConnection.MaxReadBurstBytes];

    /// <summary>
    /// On the loop thread: the buffer connections served inline write their replies into. One per
    /// loop is enough, since a connection's replies are written out (or moved to its output pipe)
    /// before the loop turns to the next.
    /// </summary>
    public InlineOutput InlineOutput => _inlineOutput ??= new InlineOutput();

    /// <summary>Runs <paramref name="work"/> on the loop thread, after the events it is handling.</summary>
    /// <remarks>Once the loop has stopped, <paramref name="work"/> runs at once on the caller's thread: nothing else touches the loop's connections then.</remarks>
    public void Post(Action<object?> work, object? state)
    {
        lock (_stopLock)
        {
            if (!_stopped)
            {
                _posted.Enqueue((work, state));
                if (Interlocked.Exchange(ref _wakePending, 1) == 0)
                {
                    ulong one = 1;
                    write(_wake, (byte*)&one, sizeof(ulong));
                }

                return;
            }
        }

        work(state);
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Post(static _ => { }, null);
        if (!IsCurrent)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * EventSize));
        try
        {
            while (!_stopping)
            {
                int count = epoll_wait(_epoll, events, MaxEvents, -1);
                if (count < 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    // Only a bad descriptor or memory fault fails epoll_wait: the loop cannot go on, and its connections would hang.
                    Environment.FailFast($"epoll_wait failed: {new SocketException(error).Message}");
                }

                for (int i = 0; i < count; i++)
                {
                    ulong token = EventData(events, i);
                    if (token == WakeToken)
                    {
                        ulong value;
                        read(_wake, (byte*)&value, sizeof(ulong));
                        Volatile.Write(ref _wakePending, 0);
                        continue;
                    }

                    Find(token)?.OnEvents(EventFlags(events, i));
                }

                while (_posted.TryDequeue(out (Action<object?> Work, object? State) item))
                {
                    item.Work(item.State);
                }

                while (_endOfBatch.Count > 0)
                {
                    (_running, _endOfBatch) = (_endOfBatch, _running);
                    foreach (Action continuation in _running)
                    {
                        continuation();
                    }

                    _running.Clear();
                }
            }
        }
        finally
        {
            // Work posted from now on runs on its poster's thread; what is queued runs here, and
            // the eventfd is closed only when no poster can write to it (its number may be reused).
            lock (_stopLock)
            {
                _stopped = true;
            }

            while (_posted.TryDequeue(out (Action<object?> Work, object? State) item))
            {
                item.Work(item.State);
            }

            NativeMemory.Free(events);
            close(_wake);
            close(_epoll);
        }
    }

    /// <summary>Awaits the end of the loop's current batch of events (<see cref="EndOfBatch"/>).</summary>
    public readonly struct EndOfBatchAwaitable(EpollLoop loop) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public EndOfBatchAwaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => loop.AtEndOfBatch(continuation);

        public void UnsafeOnCompleted(Action continuation) => loop.AtEndOfBatch(continuation);
    }

    private EpollConnection? Find(ulong token)
    {
        EpollConnection?[] slots = Volatile.Read(ref _slots);
        uint slot = (uint)token;
        EpollConnection? connection = slot < (uint)slots.Length ? Volatile.Read(ref slots[slot]) : null;
        return connection is not null && connection.Token == token ? connection : null;
    }
}
