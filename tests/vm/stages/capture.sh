#!/bin/bash
# Stage: regenerate fixture material. Logs in to N LIO targets (2 LUNs each) with iscsiadm and dumps
# the live sysfs and iscsiadm's output into $VM_OUT. Format: tests/vm/README.md ("Capture format").
# Usage: tests/vm/run.sh capture OUTDIR [N=4]
set -u
here=$(dirname "$0"); . "$here/lio.sh"
N=${1:-4}; O=$VM_OUT; portal=127.0.0.1:3260
prefix=iqn.2003-01.org.linux-iscsi.stage
die() { echo "capture: $*"; exit 1; }

# path=value lines; newlines in a value become '|' (the format of iscsiadm-captures/sysfs.txt).
# Bash builtins only: a fork costs ~0.1 s under emulation and there are hundreds of attributes.
# Attributes that cannot be opened for reading (write-only) and binary ones (inquiry, vpd_pg*) are left out.
dump_attrs() {
    local d f v
    for d in "$@"; do
        for f in "$d"/*; do
            [[ -f $f && ! -L $f ]] || continue
            case ${f##*/} in inquiry | vpd_pg*) continue ;; esac
            { exec 3< "$f"; } 2> /dev/null || continue
            v=; IFS= read -r -d '' v <&3; exec 3<&-
            printf '%s=%s\n' "$f" "${v//$'\n'/|}"
        done
    done
}
dump_sysfs() {   # iSCSI class attributes -> $1
    dump_attrs /sys/class/iscsi_session/* /sys/class/iscsi_connection/* /sys/class/iscsi_host/* \
        /sys/class/iscsi_transport/* > "$1"
}
dump_scsi() {    # SCSI-side state of the iSCSI hosts -> $1
    local h lun b
    {
        dump_attrs /sys/module/scsi_transport_iscsi
        for h in /sys/class/iscsi_host/host*; do
            h=${h##*/}
            dump_attrs "/sys/class/scsi_host/$h"
            for lun in /sys/devices/platform/$h/session*/target*/[0-9]*:*; do
                [[ -d $lun ]] || continue
                dump_attrs "$lun"
                for b in "$lun"/block/*; do [[ -d $b ]] && dump_attrs "$b"; done
            done
        done
    } > "$1"
}
dump_links() {   # canonical paths of the class entries and the block devices -> $1
    { readlink -f /sys/class/iscsi_session/* /sys/class/iscsi_connection/*
      find /sys/devices/platform -path '*session*' -name 'sd*'; } > "$1"
}
dump_tree() {    # directories and symlinks below each iSCSI host -> $1
    local h
    for h in /sys/class/iscsi_host/host*; do
        find "/sys/devices/platform/${h##*/}" \( -name power -o -name queue -o -name mq -o -name trace \
            -o -name holders -o -name slaves -o -name integrity -o -name bsg -o -name scsi_generic \
            -o -name subsystem -o -name bdi -o -name driver \) -prune \
            -o -type d -printf 'd %p\n' -o -type l -printf 'l %p -> %l\n'
    done > "$1"
}
wait_state() {   # wait_state IQN STATE SECONDS
    local s i
    for ((i = 0; i < $3 * 2; i++)); do
        for s in /sys/class/iscsi_session/session*; do
            [[ $(cat "$s/targetname" 2>/dev/null) == "$1" && $(cat "$s/state") == "$2" ]] && return 0
        done
        sleep 0.5
    done
    return 1
}

rm -f "$O"/*.txt
{ echo "kernel=$(uname -r)"; echo "transport=$(cat /sys/module/scsi_transport_iscsi/version)"
  echo "iscsiadm=$(iscsiadm --version)"; echo "targets=$N"; echo "luns_per_target=2"; } > "$O/versions.txt"
for ((i = 1; i <= N; i++)); do lio_create "$prefix:t$i" 64 2 "$portal" || die "LIO target t$i"; done
iscsid_start || die "iscsid"
iscsiadm -m discovery -t st -p "$portal" > "$O/discovery.txt" 2>&1 || die "discovery"
iscsiadm -m node > "$O/node.txt" 2>&1
iscsiadm -m node -L all > "$O/login.txt" 2>&1
# wait until every session has both disks
for _ in $(seq 60); do
    n=$(ls -d /sys/class/iscsi_session/session*/device/target*/*:*/block/sd* 2>/dev/null | wc -l)
    ((n >= 2 * N)) && break; sleep 0.5
done
((n >= 2 * N)) || echo "capture: only $n of $((2 * N)) disks appeared"
for p in 0 1 2 3; do iscsiadm -m session -P $p > "$O/session-P$p.txt" 2>&1; done
iscsiadm -m session > "$O/session.txt" 2>&1
for s in /sys/class/iscsi_session/session*; do
    sid=${s##*session}; iscsiadm -m session -r "$sid" -s > "$O/stats-$sid.txt" 2>&1
done
iscsiadm -m node -T "$prefix:t1" -p "$portal" > "$O/node-record.txt" 2>&1
ls /dev/sd* > "$O/disks.txt" 2>&1
dump_sysfs "$O/sysfs.txt"; dump_links "$O/sysfs-links.txt"; dump_scsi "$O/sysfs-scsi.txt"; dump_tree "$O/sysfs-tree.txt"

# one FAILED session: disable target 2's portal group
if ((N >= 2)); then
    lio_enable "$prefix:t2" 0
    wait_state "$prefix:t2" FAILED 30 || echo "capture: t2 did not go FAILED in 30 s"
    iscsiadm -m session -P 1 > "$O/session-P1-failed.txt" 2>&1
    iscsiadm -m session -P 3 > "$O/session-P3-failed.txt" 2>&1
    dump_sysfs "$O/sysfs-failed.txt"; dump_scsi "$O/sysfs-scsi-failed.txt"
    lio_enable "$prefix:t2" 1
    wait_state "$prefix:t2" LOGGED_IN 60 || echo "capture: t2 did not recover in 60 s"
fi
iscsiadm -m node -U all > "$O/logout.txt" 2>&1
iscsiadm -m session > "$O/session-after.txt" 2>&1; echo "session-after rc=$?" >> "$O/session-after.txt"
lio_remove_all
echo "capture: $(ls "$O"/*.txt | wc -l) files in OUTDIR"
ls "$O"
