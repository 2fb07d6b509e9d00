using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Fuzz;

/// <summary>
/// A NETLINK_KOBJECT_UEVENT datagram: <see cref="Uevent"/> (<c>action@devpath\0KEY=VALUE\0...</c>, never throws, false
/// for what is not a kernel uevent), the host-number parse of the devpath and <see cref="ScsiHostUevents"/>' routing.
/// </summary>
public static class UeventTarget
{
    private static readonly ScsiHostUevents Router = ScsiHostUevents.ForDispatchOnly(NullLogger.Instance);

    private static readonly byte[][] Keys = ["SUBSYSTEM"u8.ToArray(), "DEVNAME"u8.ToArray(), "DEVTYPE"u8.ToArray(), "SEQNUM"u8.ToArray(), "ACTION"u8.ToArray(), ""u8.ToArray(), "="u8.ToArray()];

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (Uevent.TryParse(input, out Uevent e))
        {
            int header = input.IndexOf((byte)0) is var end and >= 0 ? end : input.Length;
            FuzzInvariantException.Check(e.Action.Length > 0 && e.DevPath.Length > 0, "empty action or devpath accepted");
            FuzzInvariantException.Check(e.Action.Length + 1 + e.DevPath.Length == header, "action@devpath does not cover the header");
            FuzzInvariantException.Check(e.Action.IndexOf((byte)'@') < 0 && e.Action.IndexOf((byte)0) < 0 && e.DevPath.IndexOf((byte)0) < 0, "header slices");
            FuzzInvariantException.Check(!input.StartsWith("libudev"u8), "a libudev message parsed as a kernel uevent");
            foreach (byte[] key in Keys)
            {
                ReadOnlySpan<byte> value = e.Get(key);
                FuzzInvariantException.Check(value.IndexOf((byte)0) < 0 && value.Length < input.Length, "value slice");
                FuzzInvariantException.Check(value.SequenceEqual(Reference(input, header, key)), "Get differs from a plain scan of the pairs");
            }

            _ = e.Subsystem;
            _ = e.DevName;
            _ = e.DevType;
            ulong seqnum = e.SeqNum;
            FuzzInvariantException.Check(seqnum == 0 || e.Get("SEQNUM"u8).Length is > 0 and <= 20, "SEQNUM parsed from nothing");
            if (ScsiHostUevents.TryParseHost(e.DevPath, out int host, out bool isHost))
            {
                FuzzInvariantException.Check(host >= 0 && e.DevPath.StartsWith("/devices/platform/host"u8), "host number");
                FuzzInvariantException.Check(!isHost || e.DevPath["/devices/platform/host".Length..].IndexOf((byte)'/') < 0, "isHost on a path below the host");
            }
        }
        else
        {
            FuzzInvariantException.Check(e.Action.IsEmpty && e.DevPath.IsEmpty, "a refused datagram left a value");
        }

        Router.Dispatch(input);
    }

    /// <summary>The first <c>KEY=</c> pair after the header, found the slow way.</summary>
    private static ReadOnlySpan<byte> Reference(ReadOnlySpan<byte> input, int header, byte[] key)
    {
        if (header >= input.Length)
        {
            return default;
        }

        ReadOnlySpan<byte> pairs = input[(header + 1)..];
        int start = 0;
        for (int i = 0; i <= pairs.Length; i++)
        {
            if (i == pairs.Length || pairs[i] == 0)
            {
                ReadOnlySpan<byte> pair = pairs[start..i];
                if (pair.Length > key.Length && pair.StartsWith(key) && pair[key.Length] == (byte)'=')
                {
                    return pair[(key.Length + 1)..];
                }

                start = i + 1;
            }
        }

        return default;
    }
}
