#!/bin/bash
# tools/testbed/launch.sh [options] [-- extra QEMU arguments] : boots the two-node test-bed guest (QEMU TCG).
#   node0 = the CPUs + 512 MiB, node1 = CPU-less 512 MiB; HMAT makes node1 a lower memory tier
#   (initiator node0: node0 10 ns / 10 GB/s, node1 100 ns / 2 GB/s; distance 20).
# Options:
#   --kernel K          6.12 | 7.3 | a version directory name | a path to a vmlinuz (then --initrd too); default 6.12
#   --initrd FILE       initramfs (default: the kernel directory's initrd.gz)
#   --dir DIR           test-bed directory (default $DAMON_TESTBED_DIR or /var/cache/damon-testbed)
#   --append "WORDS"    extra kernel command line words
#   --numa-balancing N  the guest's kernel.numa_balancing (0 off, 1 NUMA, 2 memory tiering, 3 both)
#   --console FILE      serial console to FILE instead of stdio
#   --smp N             vCPUs on node0 (default 2)
#   --print             print the QEMU command line instead of running it
# The kernel command line always carries the marker word testbed_guest and testbed_kernel=<version>; for 7.x also
# damon_stat.enabled=N (7.x has DAMON_STAT_ENABLED_DEFAULT=y; tests need the kernel's DAMON to themselves).
set -euo pipefail
TB=${DAMON_TESTBED_DIR:-/var/cache/damon-testbed}
KERNEL=6.12 INITRD= APPEND= NB= CONSOLE= SMP=2 PRINT=
while [ $# -gt 0 ]; do
  case $1 in
    --kernel) KERNEL=$2; shift 2 ;;
    --initrd) INITRD=$2; shift 2 ;;
    --dir) TB=$2; shift 2 ;;
    --append) APPEND="$APPEND $2"; shift 2 ;;
    --numa-balancing) NB=$2; shift 2 ;;
    --console) CONSOLE=$2; shift 2 ;;
    --smp) SMP=$2; shift 2 ;;
    --print) PRINT=1; shift ;;
    --) shift; break ;;
    *) echo "launch.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -f "$KERNEL" ]; then
  VMLINUZ=$KERNEL
  VER=$(basename "$(dirname "$(readlink -f "$KERNEL")")")
  [ -n "$INITRD" ] || INITRD=$(dirname "$(readlink -f "$KERNEL")")/initrd.gz
else
  KD=$TB/kernels/$KERNEL
  [ -s "$KD/vmlinuz" ] || { echo "launch.sh: no kernel '$KERNEL' in $TB/kernels (run tools/testbed/setup.sh)" >&2; exit 2; }
  VMLINUZ=$KD/vmlinuz
  VER=$(basename "$(readlink -f "$KD")")
  [ -n "$INITRD" ] || INITRD=$KD/initrd.gz
fi
[ -s "$INITRD" ] || { echo "launch.sh: no initramfs $INITRD (run tools/testbed/setup.sh)" >&2; exit 2; }
case $NB in ''|0|1|2|3) ;; *) echo "launch.sh: --numa-balancing must be 0, 1, 2 or 3, not '$NB'" >&2; exit 2 ;; esac
CMDLINE="console=ttyS0 panic=-1 quiet testbed_guest testbed_kernel=$VER"
case $VER in [0-5].*|6.*) ;; *) CMDLINE="$CMDLINE damon_stat.enabled=N" ;; esac
[ -n "$NB" ] && CMDLINE="$CMDLINE testbed_numa_balancing=$NB"
CMDLINE="$CMDLINE${APPEND}"
if [ -n "$CONSOLE" ]; then SERIAL=(-display none -monitor none -serial "file:$CONSOLE"); else SERIAL=(-nographic); fi
CMD=(qemu-system-x86_64 -accel tcg,thread=multi -M q35,hmat=on -cpu max -smp "$SMP" -m 1G
  -object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M
  -numa node,nodeid=0,cpus=0-$((SMP - 1)),memdev=m0,initiator=0
  -numa node,nodeid=1,memdev=m1,initiator=0
  -numa dist,src=0,dst=1,val=20
  -numa hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-latency,latency=10
  -numa hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-bandwidth,bandwidth=10G
  -numa hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-latency,latency=100
  -numa hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-bandwidth,bandwidth=2G
  -no-reboot "${SERIAL[@]}" -kernel "$VMLINUZ" -initrd "$INITRD" -append "$CMDLINE" "$@")
if [ -n "$PRINT" ]; then printf '%q ' "${CMD[@]}"; echo; exit 0; fi
exec "${CMD[@]}"
