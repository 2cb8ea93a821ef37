// efd-daemon is Linux-only: statx, posix_spawn, eventfd, Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
