#!/usr/bin/env bash
# Rewrites the seed corpora under tests/fuzz/corpus from the library's encoders and the golden values
# (tests/IscsiNative.Fuzz/Seeds.cs). The files are checked in; afl-fuzz and the unit-test replay start from them.
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
CONFIG=${CONFIG:-Release}
dotnet build tests/IscsiNative.Fuzz/IscsiNative.Fuzz.csproj -c "$CONFIG" -nologo -clp:ErrorsOnly >&2
dotnet "tests/IscsiNative.Fuzz/bin/$CONFIG/net10.0/IscsiNative.Fuzz.dll" --write-corpus tests/fuzz/corpus
