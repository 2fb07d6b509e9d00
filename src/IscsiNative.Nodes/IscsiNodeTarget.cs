
namespace IscsiNative.Nodes;

/// <summary>A target portal found by discovery, as a node record is keyed: target, portal, portal group tag.</summary>
/// <param name="TargetName">The target IQN.</param>
/// <param name="Portal">The portal the target listed.</param>
/// <param name="Tpgt">The portal group tag, -1 when the target gave none.</param>
public readonly record struct IscsiNodeTarget(string TargetName, IscsiPortal Portal, int Tpgt);

/// <summary>The records a query found, and the record files it could not read (each naming file and line).</summary>
/// <param name="Nodes">Readable records, ordered by target, address, port, tpgt, iface.</param>
/// <param name="Errors">Malformed record files; they do not stop the other records from being read.</param>
public sealed record IscsiNodeQueryResult(IReadOnlyList<IscsiNodeRecord> Nodes, IReadOnlyList<IscsiNodeRecordFormatException> Errors);
