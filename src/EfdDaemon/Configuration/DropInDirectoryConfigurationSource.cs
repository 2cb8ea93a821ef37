using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Configuration;

/// <summary>
/// <c>conf.d/*.json</c> as one configuration source that lists the directory on every load, so a
/// drop-in added or removed after start is seen by the next reload (SIGHUP). Files are applied in
/// ordinal name order, a later file overriding an earlier one. A missing directory is empty.
/// </summary>
internal sealed class DropInDirectoryConfigurationSource(string directory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(directory);

    private sealed class Provider(string directory) : ConfigurationProvider
    {
        /// <summary>Throws (<see cref="InvalidDataException"/>, <see cref="FormatException"/>, I/O errors) when a file is not valid JSON or cannot be read.</summary>
        public override void Load()
        {
            var files = new ConfigurationBuilder();
            if (Directory.Exists(directory))
            {
                foreach (string path in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
                {
                    files.AddJsonFile(path, optional: true, reloadOnChange: false);
                }
            }

            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach ((string key, string? value) in files.Build().AsEnumerable())
            {
                if (value is not null)
                {
                    data[key] = value;
                }
            }

            Data = data;
        }
    }
}
