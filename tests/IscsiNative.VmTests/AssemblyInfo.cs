// VM tests share one kernel (sessions, LIO, iscsid): run them one at a time.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

// Every test here needs the VM stage: outside it, a failure naming what is missing (or a skip when opted out).
[assembly: IscsiNative.VmTests.Infrastructure.RequiresVmStage]

// A test that ends with a session it did not start with fails (after the session is logged out), so a leak is
// reported where it happened and never leaks into the next test.
[assembly: IscsiNative.VmTests.Infrastructure.LeavesNoSession]
