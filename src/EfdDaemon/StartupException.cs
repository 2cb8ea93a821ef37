namespace EfdDaemon;

/// <summary>A start-up failure with one line for the administrator (exit code 2).</summary>
internal sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
