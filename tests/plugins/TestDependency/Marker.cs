namespace Efd.TestDependency;

/// <summary>Tells which version of this library the caller's load context bound to.</summary>
public static class Marker
{
    public static string Version => typeof(Marker).Assembly.GetName().Version!.ToString();
}
