#!/bin/bash
# The attach/detach sequence CSI drivers (csi-lib-iscsi) and os-brick run around iscsiadm, as a shell script: the
# comparison side of the volume benchmark (benchmarks/IscsiNative.Benchmarks/Volumes/VolumeHarness.cs).
#   volume-recipe.sh attach IQN PORTAL LUN...   one background job per LUN, like independent CSI NodeStage calls
#   volume-recipe.sh detach IQN PORTAL LUN...
# attach, per LUN: SendTargets discovery, node.session.scan = manual, login (exit 15 "session exists" is success),
#   "0 0 LUN" into the session host's scan file (os-brick's one-LUN scan), then poll every 100 ms until the LUN's
#   /dev node exists and a 4 KiB read through it works. Real drivers poll /dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-L,
#   which udev makes; the VM runs no udevd, so the poll looks the disk up in sysfs (what that link points to).
#   The iscsiadm and scan steps run under one host-wide flock, as os-brick's external connect_volume lock does
#   (unlocked parallel iscsiadm calls on one node record race in the node DB); the device poll runs outside it.
# detach, per LUN: flush (blockdev --flushbufs), delete the SCSI device through sysfs, then under the lock log the
#   session out when no SCSI device is left on it.
# Exit status: 0 when every LUN succeeded; a LUN whose device does not appear within 60 s fails the attach.
set -u
op=$1 iqn=$2 portal=$3; shift 3
lock=/run/lock/volume-recipe.lock

session_dir() {   # the sysfs session directory of IQN at PORTAL (address as given), or nothing
    local s
    for s in /sys/class/iscsi_session/session*; do
        [[ -e $s/targetname ]] || continue
        [[ $(<"$s/targetname") == "$iqn" ]] && { readlink -f "$s/device"; return 0; }
    done
    return 1
}

disk_of() {   # disk_of LUN: the sd name of the LUN on the session, or nothing
    local dev=$1 lun=$2 d
    for d in "$dev"/target*/*:*:*:"$lun"/block/sd*; do [[ -e $d ]] && { echo "${d##*/}"; return 0; }; done
    return 1
}

attach_one() {
    local lun=$1 dev host disk i
    (
        flock 9
        iscsiadm -m discovery -t sendtargets -p "$portal" > /dev/null || exit 1
        iscsiadm -m node -T "$iqn" -p "$portal" -o update -n node.session.scan -v manual > /dev/null || exit 1
        iscsiadm -m node -T "$iqn" -p "$portal" --login > /dev/null 2>&1
        rc=$?; ((rc == 0 || rc == 15)) || exit 1
        dev=$(session_dir) || exit 1
        host=$(basename "$(dirname "$dev")")
        echo "0 0 $lun" > "/sys/class/scsi_host/$host/scan"
    ) 9> "$lock" || { echo "recipe: attach of LUN $lun failed" >&2; return 1; }
    dev=$(session_dir) || return 1
    for ((i = 0; i < 600; i++)); do
        if disk=$(disk_of "$dev" "$lun") && [[ -b /dev/$disk ]] && dd if="/dev/$disk" of=/dev/null bs=4096 count=1 status=none 2> /dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "recipe: LUN $lun has no usable device after 60 s" >&2
    return 1
}

detach_one() {
    local lun=$1 dev disk
    dev=$(session_dir) || return 0
    if disk=$(disk_of "$dev" "$lun"); then
        blockdev --flushbufs "/dev/$disk"
        echo 1 > "/sys/block/$disk/device/delete"
    fi
    (
        flock 9
        dev=$(session_dir) || exit 0
        compgen -G "$dev/target*/*:*:*:*" > /dev/null && exit 0
        iscsiadm -m node -T "$iqn" -p "$portal" --logout > /dev/null 2>&1 || true
    ) 9> "$lock"
}

pids=()
for lun in "$@"; do
    case $op in
        attach) attach_one "$lun" & ;;
        detach) detach_one "$lun" & ;;
        *) echo "usage: volume-recipe.sh attach|detach IQN PORTAL LUN..." >&2; exit 2 ;;
    esac
    pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
