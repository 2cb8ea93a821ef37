using System.Collections;
using System.Reflection;

namespace EfdDaemon.Configuration;

/// <summary>
/// One level of the configuration keys the daemon reads: the properties of an options class
/// (found by reflection over its public settable properties, so the list cannot drift from the
/// classes), an array's elements, or a set of names (handlers, plugins).
/// </summary>
internal sealed class KnownKeyNode
{
    private const int MaxDepth = 8;

    private readonly Dictionary<string, KnownKeyNode> _children = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the node every index of an array maps to; null when this is not an array.</summary>
    public KnownKeyNode? Element { get; private init; }

    /// <summary>Gets whether names other than <see cref="Children"/> are someone else's to check (a plugin's own keys).</summary>
    public bool AcceptsOthers { get; private init; }

    /// <summary>Gets what the children name ("handler", "plugin"): an unknown child is then reported as matching none of them.</summary>
    public string? Noun { get; private init; }

    public IReadOnlyDictionary<string, KnownKeyNode> Children => _children;

    /// <summary>Gets whether nothing may sit below this key: a value.</summary>
    public bool IsLeaf => _children.Count == 0 && Element is null && !AcceptsOthers && Noun is null;

    public static KnownKeyNode Leaf() => new();

    /// <summary>A section whose listed keys are known and whose other keys belong to someone else.</summary>
    public static KnownKeyNode Open(params string[] known)
    {
        var node = new KnownKeyNode { AcceptsOthers = true };
        foreach (string key in known)
        {
            node._children[key] = Leaf();
        }

        return node;
    }

    /// <summary>A section of named entries (<c>Handlers:&lt;Name&gt;</c>), each shaped as <paramref name="each"/>.</summary>
    public static KnownKeyNode Named(string noun, IEnumerable<string> names, Func<KnownKeyNode> each)
    {
        var node = new KnownKeyNode { Noun = noun };
        foreach (string name in names)
        {
            node._children[name] = each();
        }

        return node;
    }

    /// <summary>The keys an options class binds: its public settable properties, recursively.</summary>
    public static KnownKeyNode FromType(Type type) => FromType(type, 0);

    /// <summary>Adds <paramref name="node"/> at <paramref name="path"/> (<c>Daemon</c>, <c>A:B</c>), merging with what is there.</summary>
    public void Add(string path, KnownKeyNode node)
    {
        string[] segments = path.Split(':');
        KnownKeyNode parent = this;
        foreach (string segment in segments[..^1])
        {
            if (!parent._children.TryGetValue(segment, out KnownKeyNode? next))
            {
                parent._children[segment] = next = new KnownKeyNode();
            }

            parent = next;
        }

        string last = segments[^1];
        if (parent._children.TryGetValue(last, out KnownKeyNode? existing))
        {
            existing.Merge(node);
        }
        else
        {
            parent._children[last] = node;
        }
    }

    private static KnownKeyNode FromType(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type) || depth > MaxDepth)
        {
            return Leaf();
        }

        if (type.IsArray)
        {
            return new KnownKeyNode { Element = FromType(type.GetElementType()!, depth + 1) };
        }

        if (type.IsGenericType && Implements(type, typeof(IDictionary<,>)))
        {
            // Dictionary keys are the administrator's names: not checked.
            return new KnownKeyNode { AcceptsOthers = true };
        }

        if (type.IsGenericType && Implements(type, typeof(IEnumerable<>)))
        {
            return new KnownKeyNode { Element = FromType(type.GetGenericArguments()[0], depth + 1) };
        }

        var node = new KnownKeyNode();
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            bool settable = property.SetMethod is { IsPublic: true };
            bool collection = property.CanRead && typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string);
            if ((settable || collection) && property.GetIndexParameters().Length == 0)
            {
                node._children[property.Name] = FromType(property.PropertyType, depth + 1);
            }
        }

        return node;
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(Version);

    private static bool Implements(Type type, Type genericInterface) =>
        (type.IsInterface && type.GetGenericTypeDefinition() == genericInterface)
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == genericInterface);

    private void Merge(KnownKeyNode other)
    {
        foreach ((string key, KnownKeyNode child) in other._children)
        {
            if (_children.TryGetValue(key, out KnownKeyNode? mine))
            {
                mine.Merge(child);
            }
            else
            {
                _children[key] = child;
            }
        }
    }
}
