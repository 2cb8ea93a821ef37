using System.Globalization;

namespace EfdCtl.Sysfs;

/// <summary>The figures efd_lkm publishes in sysfs; null where a file is missing or unreadable.</summary>
internal sealed record ModuleFigures(
    string Directory,
    bool Present,
    long? AttachedPid,
    long? AttachedFd,
    long? Events,
    long? Signals,
    long? Dropped,
    long? RingSize,
    long? AbiVersion);

/// <summary>Reads efd_lkm's sysfs directory and writes its <c>trigger</c>.</summary>
internal sealed class ModuleSysfs
{
    public ModuleSysfs(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string TriggerPath => Path.Combine(Directory, "trigger");

    /// <summary>Reads every figure; a missing directory means the module is not loaded.</summary>
    public ModuleFigures Read()
    {
        bool present = System.IO.Directory.Exists(Directory);
        return new ModuleFigures(
            Directory,
            present,
            present ? ReadNumber("attached_pid") : null,
            present ? ReadNumber("attached_fd") : null,
            present ? ReadNumber("events") : null,
            present ? ReadNumber("signals") : null,
            present ? ReadNumber("dropped") : null,
            present ? ReadNumber("ring_size") : null,
            present ? ReadNumber("abi_version") : null);
    }

    /// <summary>Writes <paramref name="count"/> to <c>trigger</c>: the module raises that many TRIGGER events.</summary>
    /// <remarks>One write(2) of the decimal text, as sysfs store callbacks expect.</remarks>
    public void Trigger(ulong count)
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(count.ToString(CultureInfo.InvariantCulture) + "\n");
        using var stream = new FileStream(TriggerPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(text);
    }

    private long? ReadNumber(string name)
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
}
