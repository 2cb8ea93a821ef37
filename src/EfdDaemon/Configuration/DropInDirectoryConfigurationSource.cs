using EfdDaemon.Configuration;
using Microsoft.Extensions.Configuration;

namespace EfdDaemon.Configuration;

/// <summary>
/// <c>conf.d/*.json</c> as one configuration source that lists the directory on every load, so a
/// drop-in added or removed after start is seen by the next reload (SIGHUP). Files are applied in
/// ordinal name order, a later file overriding an earlier one. A missing directory is empty.
/// Each key's file is kept for the unknown-key report (<see cref="IConfigurationKeyOrigins"/>).
/// </summary>
internal sealed class DropInDirectoryConfigurationSource(string directory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(directory);

    private sealed class Provider(string directory) : ConfigurationProvider, IConfigurationKeyOrigins
    {
        private List<ConfiguredKey> _keys = [];

        public IEnumerable<ConfiguredKey> Keys => _keys;

        /// <summary>Throws (<see cref="InvalidDataException"/>, <see cref="FormatException"/>, I/O errors) when a file is not valid JSON or cannot be read.</summary>
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var keys = new List<ConfiguredKey>();
            if (Directory.Exists(directory))
            {
                foreach (string path in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
                {
                    foreach ((string key, string? value) in new ConfigurationBuilder().AddJsonFile(path, optional: true, reloadOnChange: false).Build().AsEnumerable())
                    {
                        keys.Add(new ConfiguredKey(path, key));
                        if (value is not null)
                        {
                            data[key] = value;
                        }
                    }
                }
            }

            Data = data;
            _keys = keys;
        }
    }
}
