using KubeCache.Configuration;

namespace KubeCache.CacheNode.Storage;

/// <summary>
/// Where one shard's records live: appended to 64 KiB pages, so a million entries cost a few
/// thousand arrays instead of a million. This part keeps the pages: where a record goes, what a
/// dead one leaves, compaction and the byte counts; the records' layout is in
/// <c>RecordArena.Records.cs</c>.
/// </summary>
/// <remarks>
/// Bytes of keys and values once written are never overwritten: a rewrite appends a new record
/// and leaves the old one as garbage, and compaction copies a page's live records to the tail and
/// drops the page. A value handed out as <see cref="ReadOnlyMemory{T}"/> therefore stays intact
/// after the shard lock is released (the page array lives as long as someone references it).
/// Only the expiry field is changed in place, and only under the lock, which every reader of it
/// holds. Compaction asks the shard whether the slot a record names still points at it (else the
/// record is garbage): one look at that slot per record, not a hash of its key and a walk of its
/// bucket's chain, which at a million keys would make moving records about half the cost of an
/// overwrite (bench/Store). A <see cref="SegmentedValue"/> (a large hash, or a long string that
/// SETBIT, SETRANGE or APPEND changed) is not in the record: its record, on a page of its own,
/// holds the key with an empty value, and the page keeps the value beside it
/// (<see cref="Segments"/>), so it goes when the page goes. Not thread-safe: the shard's lock
/// guards every call.
/// </remarks>
internal sealed partial class RecordArena
{
    /// <summary>Size of a shared page: small enough that compacting one is a short pause under the shard lock.</summary>
    public const int PageBytes = 64 * 1024;

    /// <summary>Records above this size get a page of their own, freed as soon as they die.</summary>
    private const int LargeRecordBytes = PageBytes / 4;

    /// <summary>A location is the page's id above a 16-bit offset, 40 bits in all (<see cref="Entry.LocationBits"/>).</summary>
    private const int OffsetBits = 16;

    /// <summary>
    /// The most pages one arena may hold: 2^24, what a location's 24 bits of page id number.
    /// <see cref="MaxBytes"/> keeps every shard well below it.
    /// </summary>
    public const int MaxPages = 1 << (Entry.LocationBits - OffsetBits);

    /// <summary>
    /// The most bytes of entries a shard may be given, 64 GiB: even if every record were just past
    /// <see cref="LargeRecordBytes"/> (a page each) and pages carried their share of garbage, it
    /// needs fewer than <see cref="MaxPages"/> / 4 pages.
    /// </summary>
    public const long MaxBytes = 64L << 30;

    /// <summary>Whether <paramref name="slot"/>, which a record names, still points at it (at <paramref name="location"/>); if not, the record is garbage.</summary>
    public delegate bool PointsAt(int slot, long location);

    private readonly PageReclaimer? _reclaimer;
    private byte[]?[] _pages = new byte[]?[4];
    private SegmentedValue?[] _segmented = new SegmentedValue?[4];
    private int[] _used = new int[4];
    private int[] _live = new int[4];
    private readonly Stack<int> _freeIds = new();
    private int _nextId = 1;
    private int _tail;

    /// <param name="reclaimer">Told of every page dropped; null (tests of the arena alone) tells no one.</param>
    public RecordArena(PageReclaimer? reclaimer = null) => _reclaimer = reclaimer;

    /// <summary>Bytes of all pages held, garbage and the tail's unwritten room included.</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Bytes of live records.</summary>
    public long LiveBytes { get; private set; }

    /// <summary>Bytes the segmented values of live records hold (<see cref="SegmentedValue.HeldBytes"/>).</summary>
    public long SegmentBytes { get; private set; }

    /// <summary>All the bytes entries hold: the pages and the segmented values.</summary>
    public long HeldBytes => AllocatedBytes + SegmentBytes;

    /// <summary>Pages compacted so far.</summary>
    public long Compactions { get; private set; }

    /// <summary>
    /// Marks the record dead; a page left with no live record is dropped at once. A segmented value
    /// goes with its record, and the bytes of it that <paramref name="successor"/> (the value a write
    /// made of it) does not share are counted as dropped.
    /// </summary>
    public void Release(long location, SegmentedValue? successor = null)
    {
        int id = (int)(location >> OffsetBits);
        int size = SizeAt(location);
        _live[id] -= size;
        LiveBytes -= size;
        if (_segmented[id] is { } segments)
        {
            _segmented[id] = null;
            SegmentBytes -= segments.HeldBytes;
            _reclaimer?.Dropped(segments.BytesNotIn(successor));
        }
        if (_live[id] == 0 && id != _tail)
        {
            DropPage(id);
        }
    }

    /// <summary>Whether garbage has grown past its share and a page is worth compacting.</summary>
    public bool NeedsCompaction
    {
        get
        {
            long tailRoom = _tail == 0 ? 0 : _pages[_tail]!.Length - _used[_tail];
            long garbage = AllocatedBytes - LiveBytes - tailRoom;
            return garbage >= 2L * PageBytes && garbage * MemorySizing.GarbageShareDivisor > AllocatedBytes;
        }
    }

    /// <summary>
    /// Moves the live records of the emptiest page to the tail and drops that page.
    /// <paramref name="pointsAt"/> tells whether the slot a record names points at it (else it is
    /// garbage); <paramref name="moved"/> receives each moved record's slot and new location.
    /// </summary>
    public void CompactOnePage(PointsAt pointsAt, Action<int, long> moved)
    {
        int victim = 0;
        for (int id = 1; id < _nextId; id++)
        {
            if (id != _tail && _pages[id] is { Length: PageBytes } && (victim == 0 || _live[id] < _live[victim]))
            {
                victim = id;
            }
        }

        if (victim == 0)
        {
            return;
        }

        byte[] page = _pages[victim]!;
        for (int offset = 0; offset < _used[victim];)
        {
            ReadOnlySpan<byte> record = page.AsSpan(offset);
            int size = SizeOf(record);
            int slot = SlotOf(record, size);
            if (pointsAt(slot, ((long)victim << OffsetBits) | (uint)offset))
            {
                long target = Reserve(size);
                page.AsSpan(offset, size).CopyTo(Record(target, size));
                _live[victim] -= size;
                LiveBytes -= size;
                moved(slot, target);
            }

            offset += size;
        }

        DropPage(victim);
        Compactions++;
    }

    /// <summary>Checks the page bookkeeping against the records that slots point at (used by tests).</summary>
    internal void CheckLiveBytes(long expectedLiveBytes)
    {
        long live = 0;
        for (int id = 1; id < _nextId; id++)
        {
            live += _pages[id] is null ? 0 : _live[id];
        }

        if (live != LiveBytes || live != expectedLiveBytes)
        {
            throw new InvalidOperationException($"arena live bytes {LiveBytes}, pages say {live}, slots say {expectedLiveBytes}");
        }

        long segmentBytes = _segmented.Sum(s => s?.HeldBytes ?? 0);
        if (segmentBytes != SegmentBytes)
        {
            throw new InvalidOperationException($"arena segment bytes {SegmentBytes}, segmented values hold {segmentBytes}");
        }

        if (_segmented.FirstOrDefault(s => s is not null && s.HeldBytes != s.HeldBytesOfSegments()) is { } miscounted)
        {
            throw new InvalidOperationException($"a segmented value counts {miscounted.HeldBytes} bytes, its segments hold {miscounted.HeldBytesOfSegments()}");
        }
    }

    /// <summary>Room for a record: on the shared tail page, or on a page of its own when large or <paramref name="ownPage"/>.</summary>
    private long Reserve(int size, bool ownPage = false)
    {
        int id;
        if (size > LargeRecordBytes || ownPage)
        {
            id = NewPage(size);
        }
        else
        {
            if (_tail == 0 || _used[_tail] + size > PageBytes)
            {
                int previous = _tail;
                _tail = NewPage(PageBytes);
                if (previous != 0 && _live[previous] == 0)
                {
                    DropPage(previous);
                }
            }

            id = _tail;
        }

        int offset = _used[id];
        _used[id] += size;
        _live[id] += size;
        LiveBytes += size;
        return ((long)id << OffsetBits) | (uint)offset;
    }

    private int NewPage(int bytes)
    {
        int id = _freeIds.Count > 0 ? _freeIds.Pop() : _nextId++;
        if (id >= _pages.Length)
        {
            Array.Resize(ref _pages, _pages.Length * 2);
            Array.Resize(ref _segmented, _pages.Length);
            Array.Resize(ref _used, _pages.Length);
            Array.Resize(ref _live, _pages.Length);
        }

        // Shared pages go on the pinned object heap: the GC never copies them while promoting or
        // compacting, and since they all have one size a dropped page's hole fits the next one.
        // On the ordinary heap, a million keys left ~18 MB committed beyond the live heap
        // (bench/memory.sh). A large record's page keeps the ordinary heap, which compacts
        // around holes of any size.
        _pages[id] = GC.AllocateUninitializedArray<byte>(bytes, pinned: bytes == PageBytes);
        _used[id] = 0;
        _live[id] = 0;
        AllocatedBytes += bytes;
        return id;
    }

    private void DropPage(int id)
    {
        AllocatedBytes -= _pages[id]!.Length;
        _reclaimer?.Dropped(_pages[id]!.Length);
        _pages[id] = null;
        _used[id] = 0;
        _live[id] = 0;
        _freeIds.Push(id);
        if (id == _tail)
        {
            _tail = 0;
        }
    }

    private byte[] Page(long location) => _pages[(int)(location >> OffsetBits)]!;

    private static int Offset(long location) => (int)location & ((1 << OffsetBits) - 1);

    private Span<byte> Record(long location, int size) => Page(location).AsSpan(Offset(location), size);

    private ReadOnlySpan<byte> RecordAt(long location) => Page(location).AsSpan(Offset(location));
}
