# Shell helpers for LIO iSCSI targets through configfs (no targetcli), sourced by the demo and
# capture stages. The C# tests use their own LioTarget class (tests/IscsiNative.VmTests).
LIO_CFS=/sys/kernel/config/target
LIO_HBA=${LIO_HBA:-500}     # fileio_N numbers used by the shell helpers (the C# helper uses others)

# lio_create IQN [SIZE_MB=64] [LUNS=1] [PORTAL=127.0.0.1:3260]: file-backed LUNs (sparse files in
# /var/tmp/lio), open ACLs (generate_node_acls=1, no CHAP), TPG enabled.
lio_create() {
    local iqn=$1 size=$(( ${2:-64} * 1024 * 1024 )) luns=${3:-1} portal=${4:-127.0.0.1:3260}
    local tpg=$LIO_CFS/iscsi/$iqn/tpgt_1 hba=$LIO_CFS/core/fileio_$LIO_HBA l=0 dev name
    LIO_HBA=$((LIO_HBA + 1))
    mkdir -p "$tpg" /var/tmp/lio || return
    while ((l < luns)); do
        name=${iqn##*:}-$l; dev=$hba/$name
        mkdir -p "$dev" || return
        printf 'fd_dev_name=/var/tmp/lio/%s.img,fd_dev_size=%s' "$name" "$size" > "$dev/control"
        echo 1 > "$dev/enable"
        mkdir "$tpg/lun/lun_$l" && ln -s "$dev" "$tpg/lun/lun_$l/lun" || return
        l=$((l + 1))
    done
    mkdir "$tpg/np/$portal" || return
    echo 1 > "$tpg/attrib/generate_node_acls"
    echo 0 > "$tpg/attrib/authentication"
    echo 0 > "$tpg/attrib/demo_mode_write_protect"
    echo 1 > "$tpg/attrib/cache_dynamic_acls"
    echo 1 > "$tpg/enable"
}

# lio_enable IQN 0|1: disable (sessions go FAILED) or re-enable the portal group.
lio_enable() { echo "$2" > "$LIO_CFS/iscsi/$1/tpgt_1/enable"; }

# lio_remove_all: tear down every iSCSI target and fileio backstore the helpers created.
lio_remove_all() {
    local t l np hba dev
    for t in "$LIO_CFS"/iscsi/iqn.*; do
        [[ -d $t ]] || continue
        echo 0 > "$t/tpgt_1/enable" 2>/dev/null
        for l in "$t"/tpgt_1/lun/lun_*; do rm -f "$l"/lun; rmdir "$l"; done
        for np in "$t"/tpgt_1/np/*; do [[ -d $np ]] && rmdir "$np"; done
        rmdir "$t/tpgt_1" "$t"
    done
    for hba in "$LIO_CFS"/core/fileio_*; do
        for dev in "$hba"/*/; do [[ -f $dev/enable ]] && rmdir "$dev"; done
        rmdir "$hba"
    done
    rm -f /var/tmp/lio/*.img
}

# iscsid_start: initiator name + iscsid, once.
iscsid_start() {
    mkdir -p /etc/iscsi /run/lock/iscsi
    echo "InitiatorName=iqn.1993-08.org.debian:01:stagevm" > /etc/iscsi/initiatorname.iscsi
    [[ -s /run/iscsid.pid ]] && kill -0 "$(cat /run/iscsid.pid)" 2>/dev/null && return 0
    iscsid && sleep 1
}
