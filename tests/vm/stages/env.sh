# Sourced by the launcher inside the VM before every stage: what dotnet, iscsiadm and LIO need.
mountpoint -q /tmp || mount -t tmpfs tmpfs /tmp
mountpoint -q /run || mount -t tmpfs tmpfs /run
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
