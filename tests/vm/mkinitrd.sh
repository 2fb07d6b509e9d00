#!/usr/bin/env bash
# Builds the stage VM's initramfs: busybox, the iSCSI initiator + LIO target + 9p/overlay modules
# of kernel KVER (decompressed, in dependency order) and tests/vm/init as /init.
# Usage: mkinitrd.sh OUT.gz KVER      Needs: busybox-static cpio kmod xz-utils linux-image-amd64.
set -euo pipefail
OUT=$1; KVER=$2
here=$(dirname "$(realpath "$0")")
WANT="9p 9pnet_virtio virtio_pci virtio_net overlay iscsi_tcp sd_mod scsi_transport_iscsi \
iscsi_target_mod target_core_file target_core_iblock target_core_mod configfs crc32c_generic \
dm_mod dm_multipath dm_service_time dm_round_robin scsi_dh_alua sch_netem nf_tables"

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,mods,proc,sys,dev,host,upper,newroot}
cp /bin/busybox "$work/bin/busybox"

# Topological order of the module closure: dependencies before dependents.
declare -A seen; order=()
visit() {
    local m=${1//-/_} path dep
    [[ -n ${seen[$m]:-} ]] && return 0; seen[$m]=1
    path=$(modinfo -k "$KVER" -n "$m" 2>/dev/null) || return 0     # unknown: built in or absent
    [[ $path == /* ]] || return 0                                   # "(builtin)"
    for dep in $(modinfo -k "$KVER" -F depends "$m" | tr ',' ' '); do visit "$dep"; done
    case $path in
        *.xz)  xz -dc "$path" > "$work/mods/$m.ko" ;;
        *.zst) zstd -dcq "$path" > "$work/mods/$m.ko" ;;
        *)     cp "$path" "$work/mods/$m.ko" ;;
    esac
    order+=("$m")
}
for m in $WANT; do visit "$m"; done
printf '%s\n' "${order[@]}" > "$work/mods/order"
install -m 755 "$here/init" "$work/init"
mkdir -p "$(dirname "$OUT")"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT.tmp.$$"
mv "$OUT.tmp.$$" "$OUT"
echo "initrd: $OUT (kernel $KVER, ${#order[@]} modules)" >&2
