using System.Diagnostics.CodeAnalysis;

namespace IscsiNative.Protocol;

/// <summary>Keeps throw sites out of hot paths.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowProtocol(string message) => throw new IscsiProtocolException(message);

    [DoesNotReturn]
    internal static T ThrowProtocol<T>(string message) => throw new IscsiProtocolException(message);

    internal static IscsiTimeoutException Timeout(string operation, TimeSpan after, string? detail = null) =>
        new(operation, after, detail);
}
