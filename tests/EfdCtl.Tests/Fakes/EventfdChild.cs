using System.Diagnostics;
using System.Globalization;

namespace EfdCtl.Tests.Fakes;

/// <summary>
/// The classic eventfd demo as a child process: <c>eventfd(0, 0)</c>, print "PID FD", block in
/// read(), print "value read = N". Compiled once with gcc (a declared requirement of these tests).
/// </summary>
internal sealed class EventfdChild : IDisposable
{
    private const string Source = """
        #include <stdint.h>
        #include <stdio.h>
        #include <sys/eventfd.h>
        #include <unistd.h>

        int main(void)
        {
        	uint64_t value;
        	int fd = eventfd(0, 0);

        	if (fd < 0)
        		return 1;
        	printf("%d %d\n", getpid(), fd);
        	fflush(stdout);
        	if (read(fd, &value, sizeof(value)) != sizeof(value))
        		return 2;
        	printf("value read = %llu\n", (unsigned long long)value);
        	return 0;
        }
        """;

    private static readonly Lazy<string> Binary = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Process _process;

    private EventfdChild(Process process, int pid, int fd)
    {
        _process = process;
        Pid = pid;
        EventFd = fd;
    }

    public int Pid { get; }

    public int EventFd { get; }

    public static async Task<EventfdChild> StartAsync()
    {
        var start = new ProcessStartInfo(Binary.Value) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        Process process = Process.Start(start)!;
        string first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("the eventfd child exited before printing its pid and fd");
        string[] parts = first.Split(' ');
        return new EventfdChild(process, int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Waits for the child to wake from read() and returns the value it read.</summary>
    public async Task<ulong> ReadValueAsync()
    {
        string line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("the eventfd child exited without reading");
        Assert.StartsWith("value read = ", line, StringComparison.Ordinal);
        return ulong.Parse(line["value read = ".Length..], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string Compile()
    {
        string dir = Directory.CreateTempSubdirectory("efdctl-child-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        string c = Path.Combine(dir, "eventfd-child.c");
        string exe = Path.Combine(dir, "eventfd-child");
        File.WriteAllText(c, Source);
        var gcc = new ProcessStartInfo("gcc", ["-O1", "-o", exe, c]) { RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(gcc)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("these tests require gcc (apt-get install gcc) to build their eventfd child", e);
        }

        using (process)
        {
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? exe : throw new InvalidOperationException($"gcc failed: {errors}");
        }
    }
}
