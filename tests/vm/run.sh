#!/usr/bin/env bash
# Runs a named stage inside a qemu VM that boots Debian's kernel (the host kernel has no iSCSI).
# The VM sees this machine's / read-only (plus a tmpfs overlay) at the same paths, so it runs the
# build output of this worktree as is; OUTDIR is shared writable and mounted at /vmout inside.
#
# Usage: tests/vm/run.sh STAGE OUTDIR [ARGS...]
#   vmtests [xunit args]   the IscsiNative.VmTests xunit v3 exe -> OUTDIR/vmtests.xml
#   demo                   LIO target, iscsiadm discovery + login, iscsinat session -P 3, dd, stats, logout
#   capture [N]            N LIO targets logged in, live sysfs + iscsiadm -P0..3 dumped into OUTDIR
#   shell CMD...           any command, e.g. tests/vm/run.sh shell out 'iscsiadm --version'
# Environment: VM_TIMEOUT (s, default 900), VM_MEM (MiB, 3072), VM_CPUS (2), KVER (newest in /lib/modules),
#   VM_CACHE (initramfs cache dir, /var/tmp/iscsinative-vm), VM_QUIET=1 (do not stream the console),
#   CONFIG (Release), ISCSINATIVE_SOAK_CYCLES / ISCSINATIVE_SOAK_SECONDS / ISCSINATIVE_STORM_SESSIONS (passed into the VM).
# Exit code: the stage's; 124 if the VM timed out, 125 if it did not finish for another reason.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
repo=$(realpath "$here/../..")
usage() { sed -n '5,13p' "$0" >&2; exit 2; }
(($# >= 2)) || usage
stage=$1 outdir=$(realpath -m "$2"); shift 2
stage_script=$here/stages/$stage.sh
[[ $stage != env && -f $stage_script ]] || { echo "run.sh: no stage '$stage' in $here/stages" >&2; usage; }

log() { printf 'vm: %s\n' "$*" >&2; }

# Install what is missing (idempotent, same as build.sh deps).
packages="qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils open-iscsi multipath-tools iproute2 nftables"
missing=()
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing: ${missing[*]}"
    sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

KVER=${KVER:-$(ls /lib/modules | sort -V | tail -n1)}
kernel=/boot/vmlinuz-$KVER
[[ -r $kernel ]] || { echo "run.sh: no readable $kernel" >&2; exit 125; }

# The initramfs is cached per kernel version and content of the init + the script that builds it.
cache=${VM_CACHE:-/var/tmp/iscsinative-vm}
key=$(cat "$here/init" "$here/mkinitrd.sh" | sha256sum | cut -c1-12)
initrd=$cache/initrd-$KVER-$key.gz
if [[ ! -f $initrd ]]; then
    log "building initramfs for $KVER"
    rm -f "$cache/initrd-$KVER-"*.gz    # stale ones (older init/mkinitrd.sh)
    "$here/mkinitrd.sh" "$initrd" "$KVER"
fi

mkdir -p "$outdir/.vm"
rm -f "$outdir/rc" "$outdir/console.log" "$outdir/serial.log" "$outdir/dmesg.txt" "$outdir/.vm/"*

# The launcher runs inside the VM (chrooted into the overlay) as root: stage env, the stage, its rc.
args=; (($#)) && args=$(printf '%q ' "$@")
# Test sizes pass through (ISCSINATIVE_SOAK_CYCLES, ISCSINATIVE_SOAK_SECONDS, ISCSINATIVE_STORM_SESSIONS): the VM does not inherit this shell's environment.
passthrough=
for v in ISCSINATIVE_SOAK_CYCLES ISCSINATIVE_SOAK_SECONDS ISCSINATIVE_STORM_SESSIONS; do
    [[ -n ${!v:-} ]] && passthrough+=" $v=$(printf %q "${!v}")"
done
cat > "$outdir/.vm/launch.sh" <<LAUNCH
#!/bin/bash
export ISCSINATIVE_VM_STAGE=1 VM_SELFCHECK=$(printf %q "${VM_SELFCHECK:-1}") VM_STAGE=$(printf %q "$stage") VM_REPO=$(printf %q "$repo") VM_OUT=/vmout CONFIG=$(printf %q "${CONFIG:-Release}")$passthrough
read -r up _ < /proc/uptime; echo "\$up" > /vmout/.vm/boot-seconds
# Wall clock and uptime at one instant: relates dmesg's uptime stamps to the test results' wall-clock times.
echo "\$(date +%s.%N) \$up" > /vmout/.vm/clock
cd "\$VM_REPO"
. "\$VM_REPO/tests/vm/stages/env.sh" > /vmout/.vm/env.log 2>&1
bash "\$VM_REPO/tests/vm/stages/\$VM_STAGE.sh" $args < /dev/null 2>&1 | tee /vmout/console.log
rc=\${PIPESTATUS[0]}
dmesg > /vmout/dmesg.txt 2>&1
read -r end _ < /proc/uptime; echo "\$end" > /vmout/.vm/end-seconds
sync; echo "\$rc" > /vmout/rc; sync
LAUNCH

timeout=${VM_TIMEOUT:-900}
log "booting $KVER (tcg, ${VM_MEM:-3072} MiB, ${VM_CPUS:-2} vCPUs), stage '$stage', timeout ${timeout}s, out $outdir"
t0=$(date +%s%N)
# /dev/kvm exists here but qemu hangs with it: software emulation (TCG).
# no_timer_check: on an oversubscribed host the emulated 8254 may not tick within the kernel's IO-APIC timer check at
# boot, which then panics ("IO-APIC + timer doesn't work!"; seen with load 30 on 2 cores); the check proves nothing
# about an emulated machine, so skip it, as cloud images do. log_buf_len: the default ring holds only the last ~8 minutes
# of a full VM run's kernel messages; the CI summary shows those of each failed test.
timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -m "${VM_MEM:-3072}" -smp "${VM_CPUS:-2}" \
    -nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 quiet panic=-1 no_timer_check log_buf_len=8M" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$outdir",mount_tag=out,security_model=none \
    > "$outdir/serial.log" 2>&1 < /dev/null &
qpid=$!
tpid=
if [[ -z ${VM_QUIET:-} ]]; then
    tail -n +1 -F --pid="$qpid" "$outdir/console.log" 2>/dev/null &
    tpid=$!
fi
qrc=0; wait "$qpid" || qrc=$?
[[ -n $tpid ]] && { wait "$tpid" || true; }
[[ -n ${VM_QUIET:-} && -f $outdir/console.log ]] && cat "$outdir/console.log"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
wall=$((ms / 1000)).$((ms % 1000 / 100))

if [[ ! -s $outdir/rc ]]; then
    if ((qrc == 124)); then log "VM timed out after ${timeout}s"; else log "VM did not finish (qemu exit $qrc)"; fi
    log "last lines of $outdir/serial.log:"
    tail -n 40 "$outdir/serial.log" >&2 || true
    ((qrc == 124)) && exit 124
    exit 125
fi
rc=$(cat "$outdir/rc")
boot=$(cat "$outdir/.vm/boot-seconds" 2>/dev/null || echo "?")
log "stage '$stage' exit $rc; boot ${boot}s (guest uptime at stage start), wall ${wall}s; logs in $outdir (console.log serial.log dmesg.txt)"
exit "$rc"
