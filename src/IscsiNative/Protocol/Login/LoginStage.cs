namespace IscsiNative.Protocol;

/// <summary>Login stages carried in CSG/NSG (RFC 7143 §11.12.3).</summary>
internal enum LoginStage : byte
{
    SecurityNegotiation = 0,
    LoginOperationalNegotiation = 1,
    FullFeaturePhase = 3,
}
