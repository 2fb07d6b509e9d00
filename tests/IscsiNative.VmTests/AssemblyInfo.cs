// VM tests share one kernel (sessions, LIO, iscsid): run them one at a time.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
