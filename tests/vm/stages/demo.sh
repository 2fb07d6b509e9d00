#!/bin/bash
# Stage: the demo `./build.sh demo` shows. One LIO target with two LUNs on loopback, discovery and
# login with the library's own CLI (iscsinat: NETLINK_ISCSI, no iscsid/iscsiadm), the IscsiNative CLI's
# view of the session next to iscsiadm's, a 32 MiB read, the session statistics and logout.
set -u
here=$(dirname "$0"); . "$here/lio.sh"
iqn=iqn.2003-01.org.linux-iscsi.demo:disk1
portal=127.0.0.1:3260
cli=$VM_REPO/artifacts/iscsinat/iscsinat   # the NativeAOT binary ./build.sh build publishes
t0=$(date +%s%N)
step() { printf '\n=== [%5.1fs] %s\n' "$(( ($(date +%s%N) - t0) / 1000000 ))e-3" "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
die() { echo "demo: $*"; exit 1; }

step "Kernel $(uname -r); creating LIO target $iqn: 2 LUNs x 64 MiB on $portal (configfs)"
lio_create "$iqn" 64 2 "$portal" || die "could not create the LIO target"
run ls "$LIO_CFS/iscsi/$iqn/tpgt_1/lun"

[[ -x $cli ]] || die "$cli not built (./build.sh build)"
nat() { printf '$ iscsinat %s\n' "$*"; "$cli" "$@"; }
grep -q '^InitiatorName=' /etc/iscsi/initiatorname.iscsi 2>/dev/null \
    || { mkdir -p /etc/iscsi; echo "InitiatorName=iqn.1993-08.org.debian:01:stagevm" > /etc/iscsi/initiatorname.iscsi; }

step "Discovery (iscsinat: managed SendTargets session, no iscsid)"
nat discovery -t st -p "$portal" || die "discovery failed"

step "Login (iscsinat: the library's kernel login over NETLINK_ISCSI; iscsid is not running)"
nat node -T "$iqn" -p "$portal" --login || die "login failed"

sid=; disk=
for _ in $(seq 60); do
    for s in /sys/class/iscsi_session/session*; do
        [[ $(cat "$s/targetname" 2>/dev/null) == "$iqn" ]] && sid=${s##*session}
    done
    [[ -n $sid ]] && disk=$(ls /sys/class/iscsi_session/session$sid/device/target*/*:0/block 2>/dev/null | head -1)
    [[ -n $disk && -b /dev/$disk ]] && break
    sleep 0.5
done
[[ -n $sid && -n $disk ]] || die "no session/disk for $iqn appeared within 30 s"
run lsblk -o NAME,SIZE,TYPE,VENDOR,MODEL,TRAN,HCTL "/dev/$disk"

step "The session as the IscsiNative CLI sees it: iscsinat session -P 3"
nat session -P 3

step "The same from iscsiadm (the oracle): iscsiadm -m session -P 3"
run iscsiadm -m session -P 3

step "Reading 32 MiB from /dev/$disk"
run dd if="/dev/$disk" of=/dev/null bs=1M count=32 iflag=direct || die "read failed"

step "Session statistics (iscsinat: GET_STATS over NETLINK_ISCSI)"
nat session -r "$sid" -s

step "Logout"
nat node -T "$iqn" -p "$portal" --logout || die "logout failed"
run iscsiadm -m session; echo "(exit $? = no sessions)"
lio_remove_all
step "Demo done"
