using System.Runtime.InteropServices;
using EfdCtl;

using var stop = new CancellationTokenSource();

// SIGINT/SIGTERM end `listen` cleanly (exit 0) and interrupt anything else.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var context = new CtlContext { Out = Console.Out, Error = Console.Error };
return await CtlApp.RunAsync(args, context, stop.Token);
