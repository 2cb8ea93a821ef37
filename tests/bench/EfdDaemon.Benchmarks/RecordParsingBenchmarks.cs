using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace EfdDaemon.Benchmarks;

/// <summary>
/// What the reader does per record of a 64-record read from <c>/dev/efd_lkm</c> — reinterpret the
/// 128 bytes (<c>EfdLkmRecord.Read</c>), copy them into the queue slot's value
/// with its kind's format (<c>EventRecord.FromKernel</c>) — and what the consumer does before the call: build the
/// <see cref="KernelEvent"/> over its payload buffer (<c>EventRecord.ToKernelEvent</c>).
/// </summary>
/// <remarks>
/// Those types are internal to efd-daemon: the chain is compiled once into a
/// <see cref="DynamicMethod"/> that calls them directly (visibility checks skipped), so the
/// benchmark measures the daemon's own code plus one delegate call.
/// </remarks>
[MemoryDiagnoser]
public class RecordParsingBenchmarks
{
    private const int RecordSize = 128;
    private const int Records = 64;
    private readonly byte[] _buffer = new byte[RecordSize * Records];
    private readonly byte[] _payload = new byte[KernelEvent.MaxPayloadLength];
    private Func<byte[], int, byte[], KernelEvent> _parse = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Records; i++)
        {
            Span<byte> r = _buffer.AsSpan(i * RecordSize, RecordSize);
            MemoryMarshal.Write(r, (ulong)i + 1);               // seq
            MemoryMarshal.Write(r[8..], 1_000_000UL * (ulong)i); // ts_ns
            MemoryMarshal.Write(r[16..], (uint)EventKind.Trigger);
            MemoryMarshal.Write(r[20..], 8u);                    // len
            MemoryMarshal.Write(r[24..], (uint)i + 1);           // index
            MemoryMarshal.Write(r[28..], (uint)Records);         // batch
        }

        _parse = CompileParse();
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public ulong ParseRecords()
    {
        ulong sum = 0;
        for (int i = 0; i < Records; i++)
        {
            KernelEvent e = _parse(_buffer, i * RecordSize, _payload);
            sum += e.Sequence + (e.TryGetTrigger(out TriggerPayload t) ? t.Index : 0);
        }

        return sum;
    }

    /// <summary>(buffer, offset, payload) => EfdLkmRecord.Read(new ReadOnlySpan(buffer, offset, 128)) |> EventRecord.FromKernel(in, UnixEpoch, BuiltInKinds.Get(kind)) |> .ToKernelEvent(payload).</summary>
    private static Func<byte[], int, byte[], KernelEvent> CompileParse()
    {
        Assembly core = Assembly.Load("efd-daemon");
        Type raw = core.GetType("EfdDaemon.Kernel.EfdLkmRecord", throwOnError: true)!;
        Type record = core.GetType("EfdDaemon.Events.EventRecord", throwOnError: true)!;
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        MethodInfo read = raw.GetMethod("Read", Any, [typeof(ReadOnlySpan<byte>)])!;
        MethodInfo fromKernel = record.GetMethod("FromKernel", Any)!;
        MethodInfo toKernelEvent = record.GetMethod("ToKernelEvent", Any)!;
        ConstructorInfo span = typeof(ReadOnlySpan<byte>).GetConstructor([typeof(byte[]), typeof(int), typeof(int)])!;
        FieldInfo epoch = typeof(DateTimeOffset).GetField(nameof(DateTimeOffset.UnixEpoch))!;

        var method = new DynamicMethod("ParseRecord", typeof(KernelEvent), [typeof(byte[]), typeof(int), typeof(byte[])], typeof(RecordParsingBenchmarks).Module, skipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        LocalBuilder rawLocal = il.DeclareLocal(raw);
        LocalBuilder recordLocal = il.DeclareLocal(record);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldc_I4, RecordSize);
        il.Emit(OpCodes.Newobj, span);
        il.Emit(OpCodes.Call, read);
        il.Emit(OpCodes.Stloc, rawLocal);
        il.Emit(OpCodes.Ldloca, rawLocal);
        il.Emit(OpCodes.Ldsfld, epoch);
        il.Emit(OpCodes.Ldc_I4, (int)EventKind.Trigger); // the reader's catalogue lookup of a built-in kind
        il.Emit(OpCodes.Call, typeof(BuiltInKinds).GetMethod(nameof(BuiltInKinds.Get))!);
        il.Emit(OpCodes.Call, fromKernel);
        il.Emit(OpCodes.Stloc, recordLocal);
        il.Emit(OpCodes.Ldloca, recordLocal);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, toKernelEvent);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<byte[], int, byte[], KernelEvent>>();
    }
}
