using System.Net.Sockets;
using System.Runtime.InteropServices;
using EfdDaemon.Interop;

namespace EfdDaemon.Handlers.Exec.Interop;

/// <summary>
/// A rule's program, started with posix_spawn(3) as the leader of a new session (and so of a new
/// process group): stdin <c>/dev/null</c>, stdout and stderr on sockets read by the daemon, no other
/// inherited descriptor, default signal dispositions, an empty signal mask, working directory <c>/</c>.
/// </summary>
/// <remarks>
/// Why posix_spawn and not <see cref="System.Diagnostics.Process"/>: <c>Process</c> cannot start a
/// child in its own session or group (its timeout kill would reach the child alone, not what the
/// child forked), cannot give it <c>/dev/null</c> as stdin, and leaves inherited descriptors open.
/// glibc's posix_spawn does all of it atomically before <c>execve</c> (<c>POSIX_SPAWN_SETSID</c>,
/// file actions with <c>closefrom</c>), and its vfork-style clone runs no managed code in the child,
/// which makes it safe in a multithreaded runtime where fork + managed code is not.
/// stdout/stderr are sockets, as with systemd's <c>StandardOutput=journal</c>, so that the daemon
/// reads them with the runtime's epoll-based sockets and can abandon a read when a grandchild keeps
/// them open. The child is not reaped by the runtime (it tracks only <c>Process</c> children):
/// <see cref="WaitForExit"/> does it.
/// </remarks>
internal sealed unsafe partial class ChildProcess : IDisposable
{
    private const int SIGKILL = 9;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int O_RDONLY = 0;

    // Opaque glibc types; sized generously over their x86-64/arm64 sizes (80, 336 and 128 bytes).
    private const int FileActionsSize = 256;
    private const int AttrSize = 512;
    private const int SigsetSize = 256;

    private int _exited;

    private ChildProcess(int pid, Socket stdout, Socket stderr)
    {
        Pid = pid;
        StandardOutput = stdout;
        StandardError = stderr;
    }

    /// <summary>Gets the child's pid, which is also its session and process group id.</summary>
    public int Pid { get; }

    public Socket StandardOutput { get; }

    public Socket StandardError { get; }

    /// <summary>Starts <paramref name="path"/> with exactly <paramref name="argv"/> and <paramref name="envp"/>.</summary>
    /// <exception cref="ErrnoException">socketpair or posix_spawn failed (ENOENT, EACCES, ENOEXEC, …: the program never ran).</exception>
    public static ChildProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        int* outPair = stackalloc int[2];
        int* errPair = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, outPair) != 0)
        {
            throw new ErrnoException("socketpair", Marshal.GetLastPInvokeError());
        }

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, errPair) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            close(outPair[0]);
            close(outPair[1]);
            throw new ErrnoException("socketpair", errno);
        }

        byte* actions = (byte*)NativeMemory.AllocZeroed(FileActionsSize);
        byte* attr = (byte*)NativeMemory.AllocZeroed(AttrSize);
        byte* sigset = (byte*)NativeMemory.AllocZeroed(SigsetSize);
        nint* nativeArgv = ToNative(argv);
        nint* nativeEnvp = ToNative(envp);
        int pid = 0;
        int rc;
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(posix_spawnattr_init(attr), "posix_spawnattr_init");
            Check(posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "posix_spawn_file_actions_addopen");
            Check(posix_spawn_file_actions_adddup2(actions, outPair[1], 1), "posix_spawn_file_actions_adddup2");
            Check(posix_spawn_file_actions_adddup2(actions, errPair[1], 2), "posix_spawn_file_actions_adddup2");
            Check(posix_spawn_file_actions_addclosefrom_np(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
            Check(posix_spawn_file_actions_addchdir_np(actions, "/"), "posix_spawn_file_actions_addchdir_np");
            Check(posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF), "posix_spawnattr_setflags");

            // The runtime ignores SIGPIPE and blocks some signals on its threads: give the program the defaults.
            _ = sigemptyset(sigset);
            Check(posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            _ = sigfillset(sigset);
            Check(posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");

            rc = posix_spawn(&pid, path, actions, attr, nativeArgv, nativeEnvp);
        }
        finally
        {
            _ = posix_spawn_file_actions_destroy(actions);
            _ = posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
            FreeNative(nativeArgv, argv.Count);
            FreeNative(nativeEnvp, envp.Count);
            close(outPair[1]);
            close(errPair[1]);
        }

        if (rc != 0)
        {
            close(outPair[0]);
            close(errPair[0]);
            throw new ErrnoException($"posix_spawn({path})", rc);
        }

        return new ChildProcess(pid, Wrap(outPair[0]), Wrap(errPair[0]));
    }

    /// <summary>Blocks until the child exits and reaps it.</summary>
    public ExitStatus WaitForExit()
    {
        int status = 0;
        var op = new WaitOp(Pid, &status);
        if (Errno.RetryOnEintr(&WaitOp.Wait, ref op) == -1)
        {
            throw Errno.Exception($"waitpid({Pid})");
        }

        Volatile.Write(ref _exited, 1);
        int termSignal = status & 0x7f;
        return termSignal == 0 ? new ExitStatus((status >> 8) & 0xff, 0) : new ExitStatus(-1, termSignal);
    }

    /// <summary>Sends <paramref name="signal"/> to the child's whole process group.</summary>
    /// <returns><see langword="false"/> when the group no longer exists.</returns>
    public bool SignalGroup(int signal)
    {
        if (kill(-Pid, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.ESRCH)
        {
            return false;
        }

        throw new ErrnoException($"kill(-{Pid}, {signal})", errno);
    }

    /// <summary>SIGKILLs the group if the child was never reaped (the daemon is stopping), and closes the output sockets.</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _exited) == 0)
        {
            _ = kill(-Pid, SIGKILL);
        }

        StandardOutput.Dispose();
        StandardError.Dispose();
    }

    private static Socket Wrap(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));

    private readonly struct WaitOp(int pid, int* status)
    {
        private readonly int _pid = pid;
        private readonly int* _status = status;

        public static long Wait(ref WaitOp op) => waitpid(op._pid, op._status, 0);
    }

    private static void Check(int rc, string call)
    {
        if (rc != 0)
        {
            throw new ErrnoException(call, rc);
        }
    }

    private static nint* ToNative(IReadOnlyList<string> strings)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < strings.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        }

        return array;
    }

    private static void FreeNative(nint* array, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Marshal.FreeCoTaskMem(array[i]);
        }

        NativeMemory.Free(array);
    }

#pragma warning disable IDE1006, SA1300 // libc's names.
    private const string Libc = "libc.so.6";

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport(Libc)]
    private static partial int sigemptyset(byte* set);

    [LibraryImport(Libc)]
    private static partial int sigfillset(byte* set);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, byte* fileActions, byte* attr, nint* argv, nint* envp);

    [LibraryImport(Libc)]
    private static partial int posix_spawn_file_actions_init(byte* fileActions);

    [LibraryImport(Libc)]
    private static partial int posix_spawn_file_actions_destroy(byte* fileActions);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addopen(byte* fileActions, int fd, string path, int oflag, uint mode);

    [LibraryImport(Libc)]
    private static partial int posix_spawn_file_actions_adddup2(byte* fileActions, int fd, int newfd);

    [LibraryImport(Libc)]
    private static partial int posix_spawn_file_actions_addclosefrom_np(byte* fileActions, int from);

    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addchdir_np(byte* fileActions, string path);

    [LibraryImport(Libc)]
    private static partial int posix_spawnattr_init(byte* attr);

    [LibraryImport(Libc)]
    private static partial int posix_spawnattr_destroy(byte* attr);

    [LibraryImport(Libc)]
    private static partial int posix_spawnattr_setflags(byte* attr, short flags);

    [LibraryImport(Libc)]
    private static partial int posix_spawnattr_setsigmask(byte* attr, byte* sigmask);

    [LibraryImport(Libc)]
    private static partial int posix_spawnattr_setsigdefault(byte* attr, byte* sigdefault);
#pragma warning restore IDE1006, SA1300
}

/// <summary>How a child ended: its exit code, or the signal that killed it.</summary>
internal readonly record struct ExitStatus(int ExitCode, int Signal)
{
    public bool Signaled => Signal != 0;
}
