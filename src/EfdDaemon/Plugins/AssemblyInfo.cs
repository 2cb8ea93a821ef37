using System.Runtime.CompilerServices;

// The plugin and exec tests drive PluginCatalog, ExecHandler and the host builder directly.
[assembly: InternalsVisibleTo("EfdDaemon.Plugins.Tests")]
