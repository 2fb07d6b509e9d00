// The core's errno table (IscsiNative/Interop/Interop.Errors.cs), visible through InternalsVisibleTo.
global using Errno = IscsiNative.Interop.Errno;
