using System.Diagnostics.CodeAnalysis;

namespace IscsiNative.Protocol;

/// <summary>Keeps throw sites out of hot paths.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowProtocol(string message) => throw new IscsiProtocolException(message);

    [DoesNotReturn]
    internal static T ThrowProtocol<T>(string message) => throw new IscsiProtocolException(message);

    internal static IscsiException Timeout(string what, TimeSpan after) =>
        new($"{what} timed out after {after.TotalSeconds:0.###} s", new TimeoutException());
}
