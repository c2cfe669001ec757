using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KubeCache.Hosting.Transport;

/// <summary>The Linux system calls the epoll transport makes: epoll, eventfd and plain reads and writes on a socket's descriptor.</summary>
internal static unsafe partial class LinuxNative
{
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EPIPE = 32;
    public const int ECONNRESET = 104;

    /// <summary>Most buffers one writev takes here; Linux allows 1,024.</summary>
    public const int MaxIoVectors = 64;

    private const string Libc = "libc";

    /// <summary>
    /// <c>struct epoll_event</c> is packed on x86-64 (12 bytes, the data at offset 4) and naturally
    /// aligned elsewhere (16 bytes, the data at offset 8).
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static uint EventFlags(byte* events, int index) => *(uint*)(events + (index * EventSize));

    public static ulong EventData(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * EventSize) + EventDataOffset);

    /// <summary>Adds <paramref name="fd"/> to <paramref name="epfd"/>; returns 0 or -errno.</summary>
    public static int Add(int epfd, int fd, uint flags, ulong data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = flags;
        Unsafe.WriteUnaligned(ev + EventDataOffset, data);
        return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ev) == 0 ? 0 : -Marshal.GetLastPInvokeError();
    }

    /// <summary>One scatter-gather entry (<c>struct iovec</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint writev(int fd, IoVector* iov, int iovcnt);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);
}
