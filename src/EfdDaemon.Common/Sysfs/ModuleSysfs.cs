using System.Globalization;

namespace EfdDaemon.Sysfs;

/// <summary>The figures efd_lkm publishes in sysfs (kernel/README.md); null where a file is missing or unreadable.</summary>
internal sealed record ModuleFigures(
    string Directory,
    bool Present,
    long? AttachedPid,
    long? AttachedFd,
    long? Events,
    long? Signals,
    long? Dropped,
    long? RingSize,
    long? AbiVersion,
    long? Committed = null,
    long? DroppedInflight = null);

/// <summary>efd_lkm's sysfs directory: its file names, reading its figures, writing its <c>trigger</c>.</summary>
internal sealed class ModuleSysfs(string directory)
{
    /// <summary>Where efd_lkm puts its directory.</summary>
    public const string DefaultDirectory = "/sys/kernel/efd_lkm";

    /// <summary>The record device.</summary>
    public const string DefaultDevicePath = "/dev/efd_lkm";

    public const string AttachFile = "attach";
    public const string TriggerFile = "trigger";
    public const string AttachedPidFile = "attached_pid";
    public const string AttachedFdFile = "attached_fd";
    public const string EventsFile = "events";
    public const string SignalsFile = "signals";
    public const string DroppedFile = "dropped";
    public const string RingSizeFile = "ring_size";
    public const string AbiVersionFile = "abi_version";
    public const string CommittedFile = "committed";
    public const string DroppedInflightFile = "dropped_inflight";

    public string Directory { get; } = directory;

    public string TriggerPath => Path.Combine(Directory, TriggerFile);

    public string AttachPath => Path.Combine(Directory, AttachFile);

    /// <summary>Gets a value indicating whether the module is loaded (its directory exists).</summary>
    public bool Present => System.IO.Directory.Exists(Directory);

    /// <summary>Reads every figure; a missing directory means the module is not loaded.</summary>
    public ModuleFigures Read()
    {
        bool present = Present;
        return new ModuleFigures(
            Directory,
            present,
            present ? ReadNumber(AttachedPidFile) : null,
            present ? ReadNumber(AttachedFdFile) : null,
            present ? ReadNumber(EventsFile) : null,
            present ? ReadNumber(SignalsFile) : null,
            present ? ReadNumber(DroppedFile) : null,
            present ? ReadNumber(RingSizeFile) : null,
            present ? ReadNumber(AbiVersionFile) : null,
            present ? ReadNumber(CommittedFile) : null,
            present ? ReadNumber(DroppedInflightFile) : null);
    }

    /// <summary>Writes <paramref name="count"/> to <c>trigger</c>: the module raises that many TRIGGER events.</summary>
    /// <remarks>One write(2) of the decimal text, as sysfs store callbacks expect.</remarks>
    public void Trigger(ulong count) => WriteOnce(TriggerPath, count.ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>Reads one decimal figure; null when the file is missing, unreadable or not a number.</summary>
    public long? ReadNumber(string name)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(Directory, name)).Trim();
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="text"/> in one write(2): a sysfs store callback sees the whole value or nothing.</summary>
    public static void WriteOnce(string path, string text)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(bytes);
    }
}
