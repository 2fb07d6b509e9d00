using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// The shim's receive primitive on plain descriptors (this host has no NETLINK_ISCSI): timeout, wakeup and
/// MSG_TRUNC detection. A unix datagram socketpair stands in for the netlink socket.
/// </summary>
public sealed unsafe class ShimNetlinkReceiveTests
{
    private const int ETIMEDOUT = 110;
    private const int ECANCELED = 125;

    [Fact]
    public void Receive_times_out_and_a_signalled_wakeup_cancels_it()
    {
        int* sv = stackalloc int[2];
        Assert.Equal(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
        Assert.Equal(0, IscsiNative.Interop.Shim.WakeupCreate(out int wake));
        try
        {
            byte[] buffer = new byte[64];
            fixed (byte* p = buffer)
            {
                Assert.Equal(-ETIMEDOUT, IscsiNative.Interop.Shim.NetlinkReceive(sv[0], wake, p, buffer.Length, 10, out _, out _, out _));
                Assert.Equal(0, IscsiNative.Interop.Shim.WakeupSignal(wake));
                Assert.Equal(-ECANCELED, IscsiNative.Interop.Shim.NetlinkReceive(sv[0], wake, p, buffer.Length, -1, out _, out _, out _));
                Assert.Equal(0, IscsiNative.Interop.Shim.WakeupSignal(wake)); // stays signalled, signalling again is fine
                Assert.Equal(-ECANCELED, IscsiNative.Interop.Shim.NetlinkReceive(sv[0], wake, p, buffer.Length, -1, out _, out _, out _));
            }
        }
        finally
        {
            Assert.Equal(0, IscsiNative.Interop.Shim.Close(wake));
            close(sv[0]);
            close(sv[1]);
        }
    }

    [Fact]
    public void A_datagram_larger_than_the_buffer_reports_its_full_length_and_the_truncated_flag()
    {
        int* sv = stackalloc int[2];
        Assert.Equal(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
        try
        {
            byte[] datagram = new byte[100];
            fixed (byte* d = datagram)
            {
                Assert.Equal(100, (int)send(sv[1], d, 100, 0));
                Assert.Equal(40, (int)send(sv[1], d, 40, 0));
            }

            byte[] buffer = new byte[64];
            fixed (byte* p = buffer)
            {
                Assert.Equal(100, IscsiNative.Interop.Shim.NetlinkReceive(sv[0], -1, p, buffer.Length, 1000, out _, out _, out int flags));
                Assert.Equal(IscsiNative.Interop.Shim.NetlinkReceiveTruncated, flags);
                Assert.Equal(40, IscsiNative.Interop.Shim.NetlinkReceive(sv[0], -1, p, buffer.Length, 1000, out _, out _, out flags));
                Assert.Equal(0, flags);
            }
        }
        finally
        {
            close(sv[0]);
            close(sv[1]);
        }
    }

    [Fact]
    public void Send_and_receive_on_a_bad_descriptor_return_negative_errno()
    {
        byte[] buffer = new byte[8];
        fixed (byte* p = buffer)
        {
            Assert.Equal(-9, IscsiNative.Interop.Shim.NetlinkSend(-1, p, buffer.Length));
        }

        Assert.Equal(-9, IscsiNative.Interop.Shim.Close(-1));
    }
}
