using EfdDaemon.Hosting;

return await EfdProgram.RunAsync(args).ConfigureAwait(false);
