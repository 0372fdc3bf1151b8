#!/bin/bash
# mkinitramfs.sh KERNEL_DIR : writes KERNEL_DIR/initrd.gz for the test-bed guest.
# Holds busybox, numactl/migratepages/memhog with their libraries, the glibc/libstdc++ libraries the host's dotnet
# and libcoreclr need (found with ldd; the runtime itself comes over 9p), the kernel's 9p modules
# (KERNEL_DIR/modules/*.ko, loaded in the order of KERNEL_DIR/modules/order) and tools/testbed/init.
set -euo pipefail
KDIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
mkdir -p "$R"/{bin,sbin,etc,proc,sys,dev,tmp,root,mnt,lib/modules,usr/bin}
cp /bin/busybox "$R/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
copylibs() {
  local l
  for l in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
    [ -e "$R$l" ] && continue
    mkdir -p "$R$(dirname "$l")"
    cp -L "$l" "$R$l"
  done
}
for b in /usr/bin/numactl /usr/bin/migratepages /usr/bin/memhog; do cp "$b" "$R/usr/bin/"; copylibs "$b"; done
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet)")")
for b in "$DOTNET_DIR/dotnet" "$DOTNET_DIR"/host/fxr/*/*.so "$DOTNET_DIR"/shared/Microsoft.NETCore.App/*/*.so; do
  [ -e "$b" ] && copylibs "$b"
done
cp "$KDIR"/modules/*.ko "$KDIR/modules/order" "$R/lib/modules/"
cp "$HERE/init" "$R/init"
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$KDIR/initrd.gz.tmp"
mv "$KDIR/initrd.gz.tmp" "$KDIR/initrd.gz"
