using IscsiNative.Iscsid;
using IscsiNative.Formatting;

namespace IscsiNative.Tests.Formatting;

/// <summary>An iscsid stand-in answering from a table; sessions not in it are unknown to it.</summary>
internal sealed class FakeIscsidStateSource : IIscsidStateSource
{
    private readonly Dictionary<int, (int Connection, int Session)> _states = new();

    /// <summary>Every listed session LOGGED IN / NO CHANGE, the way iscsid reports healthy sessions.</summary>
    internal static FakeIscsidStateSource AllLoggedIn(params int[] sids)
    {
        var source = new FakeIscsidStateSource();
        foreach (int sid in sids)
        {
            source.Set(sid, 3, 0);
        }

        return source;
    }

    internal FakeIscsidStateSource Set(int sid, int connectionState, int sessionState)
    {
        _states[sid] = (connectionState, sessionState);
        return this;
    }

    public bool TryGetState(int sid, out int connectionState, out int sessionState)
    {
        bool found = _states.TryGetValue(sid, out (int Connection, int Session) s);
        connectionState = s.Connection;
        sessionState = s.Session;
        return found;
    }
}
