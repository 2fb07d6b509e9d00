# Sourced by the launcher inside the VM before every stage: what dotnet, iscsiadm and LIO need.
# The overlay root is writable already (tmpfs upper layer); a fresh tmpfs on /tmp or /run only gives a clean one, and
# must not hide a repository checked out below it (CI clones anywhere, /tmp included).
for d in /tmp /run; do
    case $VM_REPO/ in "$d"/*) continue ;; esac
    mountpoint -q "$d" || mount -t tmpfs tmpfs "$d"
done
mkdir -p /run/lock/iscsi /dev/pts /dev/shm /var/tmp/lio
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
# CoreCLR reserves big address ranges; without overcommit it fails to start (0x8007000E).
echo 1 > /proc/sys/vm/overcommit_memory
ip link set lo up
hostname stagevm
export HOME=/root USER=root LANG=C.UTF-8 TERM=dumb
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_HOME=/root DOTNET_gcServer=0
