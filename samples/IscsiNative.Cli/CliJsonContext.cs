using System.Text.Json.Serialization;
using IscsiNative.Sysfs;
using IscsiNative.Volumes;

namespace IscsiNative.Cli;

/// <summary>Source-generated (AOT-safe) JSON metadata for <c>--json</c> output.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<IscsiSession>))]
[JsonSerializable(typeof(IReadOnlyList<AttachedVolume>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
