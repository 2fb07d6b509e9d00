// One errno table for the whole library (Interop/Interop.Errors.cs).
global using Errno = IscsiNative.Interop.Errno;
