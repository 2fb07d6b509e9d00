namespace IscsiNative.Sysfs;

public readonly partial struct SysfsSessionEnumerable
{
    /// <summary>
    /// Moves over the sessions one at a time, reading each into a reusable <see cref="IscsiSessionEntry"/>.
    /// Sessions that disappear between listing and reading are skipped.
    /// </summary>
    public struct Enumerator : IDisposable
    {
        private readonly SysfsSessionReader _reader;
        private SysfsReaderState? _state;
        private readonly int _count;
        private readonly IscsiSessionFields _fields;
        private int _index;

        internal Enumerator(SysfsSessionReader reader, int sid, IscsiSessionFields fields)
        {
            _reader = reader;
            _fields = fields;
            _state = reader.RentState();
            _index = 0;
            if (sid < 0)
            {
                _count = reader.ListSessionIds(_state);
            }
            else
            {
                _state.Sids[0] = sid;
                _count = 1;
            }
        }

        /// <summary>The current session; valid until the next <see cref="MoveNext"/> or <see cref="Dispose"/>.</summary>
        /// <exception cref="ObjectDisposedException">The enumerator was disposed.</exception>
        public readonly ref readonly IscsiSessionEntry Current
        {
            get
            {
                ObjectDisposedException.ThrowIf(_state is null, typeof(Enumerator));
                return ref _state.Entry;
            }
        }

        /// <summary>Reads the next session that still exists.</summary>
        /// <returns>False when there are no more sessions.</returns>
        public bool MoveNext()
        {
            if (_state is null)
            {
                return false;
            }

            while (_index < _count)
            {
                int sid = _state.Sids[_index++];
                if (_reader.ReadSession(_state, sid, _fields))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Returns the buffers to the reader.</summary>
        public void Dispose()
        {
            if (_state is not null)
            {
                _state.Entry = default;
                _reader.ReturnState(_state);
                _state = null;
            }
        }
    }
}
