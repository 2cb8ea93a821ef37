namespace EfdCtl;

/// <summary>An error that ends efdctl with one line on stderr and <see cref="ExitCode"/>.</summary>
internal sealed class CtlException : Exception
{
    public CtlException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CtlException(int exitCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CtlException()
        : this(ExitCodes.Failed, "operation failed")
    {
    }

    public CtlException(string message)
        : this(ExitCodes.Failed, message)
    {
    }

    public CtlException(string message, Exception innerException)
        : this(ExitCodes.Failed, message, innerException)
    {
    }

    public int ExitCode { get; }

    public static CtlException NotRunning(string why) => new(ExitCodes.NotRunning, $"efd-daemon is not running ({why})");

    public static CtlException PermissionDenied(string what, bool isRoot) =>
        new(ExitCodes.PermissionDenied, isRoot
            ? $"permission denied: {what}"
            : $"permission denied: {what} (efdctl is not running as root: try sudo)");

    public static CtlException Failed(string message) => new(ExitCodes.Failed, message);
}
