using System.Runtime.InteropServices;
using System.Text;
using EfdCtl;
using Microsoft.Win32.SafeHandles;

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
// grep exits. A plain unbuffered stream on fd 1 reports the closed pipe as an IOException.
using var stdout = new StreamWriter(
    new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0),
    new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };

var context = new CtlContext { Out = stdout, Error = Console.Error };
return await CtlApp.RunAsync(args, context, stop.Token);
