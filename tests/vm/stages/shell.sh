#!/bin/bash
# Stage: run an arbitrary command inside the VM (as root, stage env set, cwd = the repository).
# Usage: tests/vm/run.sh shell OUTDIR 'CMD ...'   (all arguments are joined and run by bash -c)
(($#)) || { echo "shell stage: give a command, e.g. tests/vm/run.sh shell out 'iscsiadm --version'"; exit 2; }
exec bash -c "$*"
