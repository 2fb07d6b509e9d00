using IscsiNative.Fuzz;
using SharpFuzz;

// iscsinative-fuzz TARGET            run under afl-fuzz (persistent, SharpFuzz out-of-process protocol)
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

if (args.Length > 1)
{
    foreach (string file in args.Skip(1))
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;
