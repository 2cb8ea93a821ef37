using System.Runtime.InteropServices;
using System.Text;
using EfdCtl;
using EfdCtl.Interop;

using var stop = new CancellationTokenSource();

// SIGINT/SIGTERM end `listen` cleanly (exit 0) and interrupt anything else.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

// Console.Out swallows EPIPE, so `efdctl listen | grep -m1 NETDEV` would listen on forever after
// grep exits: write(2) on fd 1 directly, which reports the closed pipe as an IOException.
using var stdout = new StreamWriter(new StandardOutputStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };

var context = new CtlContext { Out = stdout, Error = Console.Error };
return await CtlApp.RunAsync(args, context, stop.Token);
