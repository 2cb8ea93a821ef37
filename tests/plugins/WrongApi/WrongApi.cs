using EfdDaemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WrongApi;

public sealed class WrongApiEntry : IEfdPlugin
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        throw new InvalidOperationException("WrongApi must be refused before any of its code runs");
}
