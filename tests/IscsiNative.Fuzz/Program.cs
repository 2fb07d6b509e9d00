using IscsiNative.Fuzz;
using SharpFuzz;

// iscsinative-fuzz TARGET --afl-file @@  run under afl-fuzz (persistent, in-process: SharpFuzz Fuzzer.Run)
// iscsinative-fuzz TARGET FILE...    replay files once each (crash triage); exit 1 on the first undocumented exception
// iscsinative-fuzz --list            the target names
// iscsinative-fuzz --write-corpus DIR  (re)write the seed corpora
if (args is ["--write-corpus", string corpusRoot])
{
    Seeds.Write(corpusRoot);
    return 0;
}

if (args.Length == 0 || args[0] == "--list")
{
    foreach (string name in FuzzTargets.All.Keys)
    {
        Console.WriteLine(name);
    }

    return args.Length == 0 ? 2 : 0;
}

if (!FuzzTargets.All.TryGetValue(args[0], out FuzzTarget? target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; known: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

// afl-fuzz ... -- dotnet IscsiNative.Fuzz.dll TARGET --afl-file @@ : the input is read from afl's file inside each
// execution. (Reading stdin instead races: SharpFuzz's Fuzzer.Run reads the first input right after the fork-server
// hello, before afl has written it, so the first seed's calibration would measure an empty or stale input.)
string? aflFile = args is [_, "--afl-file", string path] ? path : null;
if (args.Length > 1 && aflFile is null)
{
    foreach (string file in args.Skip(1))
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

// Persistent in-process mode: SharpFuzz's Fuzzer.Run answers afl's fork-server protocol from this one process and
// runs every input in it, so the .NET start-up and JIT are paid once. (Fuzzer.OutOfProcess.Run would relay each input
// over pipes to a second dotnet process, which survives StackOverflowException and hangs but costs a round trip per
// input; ISCSINATIVE_FUZZ_OUT_OF_PROCESS=1 selects it to triage an input that takes the host down.) One input buffer
// is reused, so the harness itself allocates nothing per input.
byte[] input = new byte[1 << 20];
Action<Stream> run = stream =>
{
    if (aflFile is not null)
    {
        target(ReadAflFile(aflFile, ref input));
        return;
    }

    int length = 0, read;
    while ((read = stream.Read(input, length, input.Length - length)) > 0)
    {
        length += read;
        if (length == input.Length)
        {
            Array.Resize(ref input, input.Length * 2);
        }
    }

    target(input.AsSpan(0, length));
};
if (Environment.GetEnvironmentVariable("ISCSINATIVE_FUZZ_OUT_OF_PROCESS") == "1")
{
    Fuzzer.OutOfProcess.Run(run);
}
else
{
    Fuzzer.Run(run);
}

return 0;

// The whole file into the reused buffer; a missing file (SharpFuzz's warm-up run before afl's first write) is empty.
static ReadOnlySpan<byte> ReadAflFile(string path, ref byte[] buffer)
{
    if (!File.Exists(path))
    {
        return default;
    }

    using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path);
    long size = RandomAccess.GetLength(handle);
    if (size > buffer.Length)
    {
        buffer = new byte[size];
    }

    int length = 0, read;
    while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
    {
        length += read;
    }

    return buffer.AsSpan(0, length);
}
