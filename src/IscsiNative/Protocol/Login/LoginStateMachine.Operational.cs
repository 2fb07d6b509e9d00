using System.Text;

namespace IscsiNative.Protocol;

/// <summary>Operational keys and their RFC 7143 §13 result functions.</summary>
internal sealed partial class LoginStateMachine
{
    private static readonly string[] KnownKeys =
    [
        "HeaderDigest", "DataDigest", "DefaultTime2Wait", "DefaultTime2Retain", "IFMarker", "OFMarker", "ErrorRecoveryLevel",
        "InitialR2T", "ImmediateData", "MaxBurstLength", "FirstBurstLength", "MaxOutstandingR2T", "MaxConnections",
        "DataPDUInOrder", "DataSequenceInOrder", "MaxRecvDataSegmentLength", "TargetAlias", "TargetPortalGroupTag",
        "TargetAddress", "IFMarkInt", "OFMarkInt",
    ];

    private static string? FindKnownKey(ReadOnlySpan<byte> key)
    {
        foreach (string k in KnownKeys)
        {
            if (key.Length == k.Length && Ascii.Equals(key, k))
            {
                return k;
            }
        }

        return null;
    }

    private static bool IsNormalSessionOnly(string key) => key is "InitialR2T" or "ImmediateData" or "MaxBurstLength" or "FirstBurstLength"
        or "MaxOutstandingR2T" or "MaxConnections" or "DataPDUInOrder" or "DataSequenceInOrder";

    private static int Number(ReadOnlySpan<byte> value, int min, int max, string key)
    {
        if (!TextValue.TryParseNumber(value, (ulong)min, (ulong)max, out ulong v))
        {
            ThrowHelper.ThrowProtocol($"{key} value is not a number from {min} to {max}");
        }

        return (int)v;
    }

    private static bool Boolean(ReadOnlySpan<byte> value, string key)
    {
        if (!TextValue.TryParseBoolean(value, out bool v))
        {
            ThrowHelper.ThrowProtocol($"{key} value is neither Yes nor No");
        }

        return v;
    }

    private bool HandleOperationalKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        string? name = FindKnownKey(key);
        if (name is null)
        {
            return false;
        }

        switch (name)
        {
            case "TargetAlias":
                _targetAlias = Encoding.UTF8.GetString(value);
                return true;
            case "TargetPortalGroupTag":
                _tpgt = Number(value, 0, 65535, name);
                return true;
            case "TargetAddress":
                return true;
            case "MaxRecvDataSegmentLength":
                _targetMaxRecv = Number(value, LoginSettings.MinLength, LoginSettings.MaxLength, name);
                return true;
        }

        bool answer = _awaitingAnswer.Remove(name);
        if (!answer && (name is "IFMarkInt" or "OFMarkInt" || (_s.SessionType == IscsiSessionType.Discovery && IsNormalSessionOnly(name))))
        {
            Reply(name, "Irrelevant");
            return true;
        }

        if (TextValue.IsSpecial(value))
        {
            if (!answer)
            {
                ThrowHelper.ThrowProtocol($"Target proposed a special value for {name}");
            }

            if ((name == "HeaderDigest" && _s.HeaderDigest == IscsiDigest.Crc32C) || (name == "DataDigest" && _s.DataDigest == IscsiDigest.Crc32C))
            {
                ThrowHelper.ThrowProtocol($"Target does not support the required {name}=CRC32C");
            }

            if (!TextValue.IsIrrelevant(value))
            {
                ApplyRfcDefault(name);
            }

            return true;
        }

        switch (name)
        {
            case "HeaderDigest":
                _headerDigest = NegotiateDigest(answer, name, value, _s.HeaderDigest);
                break;
            case "DataDigest":
                _dataDigest = NegotiateDigest(answer, name, value, _s.DataDigest);
                break;
            case "DefaultTime2Wait":
                _time2Wait = NegotiateNumber(answer, name, value, _s.DefaultTime2Wait, 0, 3600, max: true);
                break;
            case "DefaultTime2Retain":
                _time2Retain = NegotiateNumber(answer, name, value, _s.DefaultTime2Retain, 0, 3600, max: false);
                break;
            case "IFMarker":
                _ifMarker = NegotiateBoolean(answer, name, value, ours: false, or: false);
                break;
            case "OFMarker":
                _ofMarker = NegotiateBoolean(answer, name, value, ours: false, or: false);
                break;
            case "ErrorRecoveryLevel":
                _erl = NegotiateNumber(answer, name, value, 0, 0, 2, max: false);
                break;
            case "InitialR2T":
                _initialR2T = NegotiateBoolean(answer, name, value, _s.InitialR2T, or: true);
                break;
            case "ImmediateData":
                _immediateData = NegotiateBoolean(answer, name, value, _s.ImmediateData, or: false);
                break;
            case "MaxBurstLength":
                _maxBurst = NegotiateNumber(answer, name, value, _s.MaxBurstLength, LoginSettings.MinLength, LoginSettings.MaxLength, max: false);
                break;
            case "FirstBurstLength":
                _firstBurst = NegotiateNumber(answer, name, value, _s.FirstBurstLength, LoginSettings.MinLength, LoginSettings.MaxLength, max: false);
                break;
            case "MaxOutstandingR2T":
                _maxOutstandingR2T = NegotiateNumber(answer, name, value, _s.MaxOutstandingR2T, 1, 65535, max: false);
                break;
            case "MaxConnections":
                _maxConnections = NegotiateNumber(answer, name, value, 1, 1, 65535, max: false);
                break;
            case "DataPDUInOrder":
                _dataPduInOrder = NegotiateBoolean(answer, name, value, ours: true, or: true);
                break;
            case "DataSequenceInOrder":
                _dataSequenceInOrder = NegotiateBoolean(answer, name, value, ours: true, or: true);
                break;
        }

        return true;
    }

    private void ApplyRfcDefault(string name)
    {
        switch (name)
        {
            case "HeaderDigest": _headerDigest = IscsiDigest.None; break;
            case "DataDigest": _dataDigest = IscsiDigest.None; break;
            case "DefaultTime2Wait": _time2Wait = 2; break;
            case "DefaultTime2Retain": _time2Retain = 20; break;
            case "IFMarker": _ifMarker = false; break;
            case "OFMarker": _ofMarker = false; break;
            case "ErrorRecoveryLevel": _erl = 0; break;
            case "InitialR2T": _initialR2T = true; break;
            case "ImmediateData": _immediateData = true; break;
            case "MaxBurstLength": _maxBurst = 262144; break;
            case "FirstBurstLength": _firstBurst = 65536; break;
            case "MaxOutstandingR2T": _maxOutstandingR2T = 1; break;
            case "MaxConnections": _maxConnections = 1; break;
            case "DataPDUInOrder": _dataPduInOrder = true; break;
            case "DataSequenceInOrder": _dataSequenceInOrder = true; break;
        }
    }

    private void Reply(string key, string value) => _replies.Add(new(key, value));

    private IscsiDigest NegotiateDigest(bool answer, string name, ReadOnlySpan<byte> value, IscsiDigest offer)
    {
        ReadOnlySpan<byte> offered = DigestOffer(offer);
        if (answer)
        {
            if (!TextValue.ListContains(offered, value))
            {
                ThrowHelper.ThrowProtocol($"Target answered {name} with a value that was not offered");
            }

            return value.SequenceEqual("CRC32C"u8) ? IscsiDigest.Crc32C : IscsiDigest.None;
        }

        foreach (Range r in offered.Split((byte)','))
        {
            if (TextValue.ListContains(value, offered[r]))
            {
                bool crc = offered[r].SequenceEqual("CRC32C"u8);
                Reply(name, crc ? "CRC32C" : "None");
                return crc ? IscsiDigest.Crc32C : IscsiDigest.None;
            }
        }

        return ThrowHelper.ThrowProtocol<IscsiDigest>($"Target proposed a {name} the initiator does not accept");
    }

    private int NegotiateNumber(bool answer, string name, ReadOnlySpan<byte> value, int ours, int min, int maxValue, bool max)
    {
        int v = Number(value, min, maxValue, name);
        int result = max ? Math.Max(ours, v) : Math.Min(ours, v);
        if (answer)
        {
            if (v != result)
            {
                ThrowHelper.ThrowProtocol($"Target answered {name}={v}, not a valid {(max ? "maximum" : "minimum")} with the offered {ours}");
            }

            return v;
        }

        Reply(name, result.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    private bool NegotiateBoolean(bool answer, string name, ReadOnlySpan<byte> value, bool ours, bool or)
    {
        bool v = Boolean(value, name);
        bool result = or ? ours || v : ours && v;
        if (answer)
        {
            if (v != result)
            {
                ThrowHelper.ThrowProtocol($"Target answered {name}={(v ? "Yes" : "No")}, not a valid {(or ? "OR" : "AND")} result");
            }

            return v;
        }

        Reply(name, result ? "Yes" : "No");
        return result;
    }
}
