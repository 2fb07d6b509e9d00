using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

public sealed class IscsiKernelExceptionTests
{
    [Fact]
    public void Message_names_operation_objects_and_errno()
    {
        var e = new IscsiKernelException("ISCSI_UEVENT_BIND_CONN", 17, sid: 3, cid: 0);
        Assert.Equal("ISCSI_UEVENT_BIND_CONN (sid 3, cid 0) failed: EEXIST (17)", e.Message);
        Assert.Equal("EEXIST", e.ErrnoName);
        Assert.IsAssignableFrom<IscsiException>(e);
        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public void Host_requests_and_unknown_errnos_are_spelled_out()
    {
        var e = new IscsiKernelException("ISCSI_UEVENT_SET_HOST_PARAM", 4000, hostNumber: 5, detail: "extra");
        Assert.Equal("ISCSI_UEVENT_SET_HOST_PARAM (host 5) failed: errno 4000 (4000): extra", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    public void Permission_errors_become_UnauthorizedAccessException_with_a_privilege_hint(int errno)
    {
        Exception e = KernelErrors.Create("ISCSI_UEVENT_CREATE_SESSION", errno);
        var denied = Assert.IsType<UnauthorizedAccessException>(e);
        Assert.Contains("CAP_SYS_ADMIN", denied.Message, StringComparison.Ordinal);
        Assert.Contains("ISCSI_UEVENT_CREATE_SESSION", denied.Message, StringComparison.Ordinal);
        Assert.Equal(errno, Assert.IsType<IscsiKernelException>(denied.InnerException).Errno);
    }

    [Fact]
    public void Request_types_have_their_kernel_names()
    {
        Assert.Equal("ISCSI_UEVENT_DESTROY_SESSION_ASYNC", IscsiUeventType.DestroySessionAsync.ToKernelName());
        Assert.Equal("ISCSI_KEVENT_RECV_PDU", IscsiUeventType.KernelRecvPdu.ToKernelName());
        Assert.Equal("ISCSI_UEVENT_99", ((IscsiUeventType)99).ToKernelName());
    }
}
