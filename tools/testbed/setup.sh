#!/bin/bash
# tools/testbed/setup.sh [DIR] : sets up the two-node QEMU test bed in DIR (default $DAMON_TESTBED_DIR or
# /var/cache/damon-testbed). Idempotent; everything downloaded is kept in DIR, so a second run does no network access.
#   - apt-installs the host tools that are missing (qemu-system-x86, busybox-static, numactl, cpio, xz-utils, zstd, gcc);
#   - fetches two Debian kernels through a private apt configuration in DIR/apt (the host's apt sources stay untouched):
#     bookworm-backports linux-image-amd64 (6.12, one package) and trixie-backports linux-image-amd64 (7.x, split
#     into linux-binary-*, linux-modules-*, linux-base-*); keeps vmlinuz, config and the 9p modules in
#     DIR/kernels/<version>/ with a DIR/kernels/<major.minor> link; a kernel that cannot be fetched is recorded in
#     DIR/kernels/<suite>.unavailable (one line: the reason) and the other one is still set up;
#   - builds one initramfs per kernel (DIR/kernels/<version>/initrd.gz) and the static workloads into DIR/bin.
# Prints one line per kernel and exits 0 unless the host tools cannot be installed.
# DAMON_TESTBED_MIRROR=URI overrides the Debian mirror (default: the first URIs: of the machine's debian.sources).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TB=${1:-${DAMON_TESTBED_DIR:-/var/cache/damon-testbed}}
mkdir -p "$TB"
TB=$(cd "$TB" && pwd)
export DEBIAN_FRONTEND=noninteractive
# Two setups of one DIR at once (parallel CI jobs) would rebuild the same kernel directory: one waits for the other.
exec 9> "$TB/.lock"
flock 9

# 1. host tools (apt-get update only when something must be installed)
NEED=(qemu-system-x86 busybox-static numactl cpio xz-utils zstd gcc libc6-dev gzip)
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${NEED[@]}" 2>/dev/null | awk '/install ok installed/{printf "%s ", $1}')"
missing=()
for p in "${NEED[@]}"; do [[ $installed == *" $p "* ]] || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "testbed: needs root to install ${missing[*]}" >&2; exit 1; fi
  echo "testbed: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. kernels, through a private apt configuration that reuses the machine's own Debian mirror.
#    The bookworm keyring (debian-archive-keyring.gpg) already holds the trixie archive keys, so the sources are
#    signed-by that file; no trusted=yes.
mkdir -p "$TB/kernels" "$TB/bin"
APTD=$TB/apt
APT=(-o Dir::Etc::sourcelist="$APTD/sources.list" -o Dir::Etc::sourceparts="$APTD/sources.list.d"
     -o Dir::State::Lists="$APTD/lists" -o Dir::Cache="$APTD/cache" -o APT::Sandbox::User=root
     -o Acquire::Retries=1 -o Acquire::http::Timeout=30 -o Debug::NoLocking=1)
apt_updated=
apt_prepare() {
  [ -n "$apt_updated" ] && return 0
  mkdir -p "$APTD/lists/partial" "$APTD/cache/archives/partial" "$APTD/sources.list.d"
  local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  uri=${DAMON_TESTBED_MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  [ -n "$uri" ] || uri=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^(https?|ftp|file):/){print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { echo "no Debian mirror URI in /etc/apt/sources.list.d/debian.sources"; return 1; }
  printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$uri" bookworm-backports "$keyring" "$uri" trixie-backports > "$APTD/sources.list"
  apt-get "${APT[@]}" update -qq > "$APTD/update.log" 2>&1 || true
  apt_updated=1
}
# Versioned dependencies of PKG whose names match the extended regex RE (alternatives "a | b" are skipped).
deps_matching() {
  apt-cache "${APT[@]}" show "$1" 2>/dev/null | awk '/^Depends:/{sub(/^Depends: */,""); print; exit}' \
    | tr ',' '\n' | grep -v '|' | sed -E 's/^ *//; s/ .*//' | grep -E "$2" || true
}
# fetch_kernel SUITE: resolves linux-image-amd64/SUITE, downloads the packages holding vmlinuz, config and modules,
# keeps what the guest needs. Prints the version on success, the reason on failure (exit 1).
fetch_kernel() {
  local suite=$1 img parts work ver kd m f
  apt_prepare || return 1
  img=$(deps_matching "linux-image-amd64/$suite" '^linux-image-[0-9]' | head -1)
  if [ -z "$img" ]; then
    local err
    err=$(grep -m1 -E "^(E|W|Err):.*$suite" "$APTD/update.log" | cut -c1-200)
    echo "linux-image-amd64 not found in $suite${err:+ (apt-get update: $err)}"
    return 1
  fi
  # 7.x metas depend on the split parts; 6.12's image is the whole kernel itself.
  parts=$(deps_matching "$img" '^linux-(binary|modules|base)-[0-9]')
  [ -n "$parts" ] || parts=$img
  work=$(mktemp -d "$TB/kernels/.work.XXXXXX")
  for p in $parts; do
    (cd "$work" && apt-get "${APT[@]}" download -qq "$p" >/dev/null 2>&1) || { rm -rf "$work"; echo "download of $p from $suite failed"; return 1; }
  done
  for d in "$work"/*.deb; do
    dpkg-deb --fsys-tarfile "$d" | tar -x -C "$work" --wildcards '*vmlinuz*' '*/config*' '*/kernel/fs/*' '*/kernel/net/9p/*' 2>/dev/null || true
  done
  f=$(find "$work" -name 'vmlinuz*' -type f | head -1)
  [ -n "$f" ] || { rm -rf "$work"; echo "no vmlinuz in $parts"; return 1; }
  ver=${img#linux-image-}
  kd=$TB/kernels/$ver
  rm -rf "$kd"; mkdir -p "$kd/modules"
  cp "$f" "$kd/vmlinuz"
  f=$(find "$work" -path '*boot/config-*' -o -path '*/modules/*/config' | head -1)
  [ -n "$f" ] && cp "$f" "$kd/config"
  # The 9p modules and their dependencies, in load order (depends= from each module's .modinfo; no kmod needed).
  : > "$kd/modules/order"; : > "$kd/modules/sources"
  add_module() {
    local name=$1 src dep
    grep -qx "$name" "$kd/modules/order" && return 0
    src=$(find "$work" -path '*/kernel/*' \( -name "$name.ko" -o -name "$name.ko.xz" -o -name "$name.ko.zst" \) | head -1)
    [ -n "$src" ] || return 0                       # built in (or absent: the guest's mount then says so)
    case $src in
      *.xz) xz -dc "$src" > "$kd/modules/$name.ko" ;;
      *.zst) zstd -qdc "$src" > "$kd/modules/$name.ko" ;;
      *) cp "$src" "$kd/modules/$name.ko" ;;
    esac
    for dep in $(tr '\0' '\n' < "$kd/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
    echo "$name" >> "$kd/modules/order"
    echo "${src##*/kernel/}" >> "$kd/modules/sources"   # as packaged: 6.12 ships .ko.xz; recorded for the docs
  }
  for m in 9pnet_virtio 9p; do add_module "$m"; done
  rm -rf "$work"
  grep -qx 9p "$kd/modules/order" || grep -q '^CONFIG_9P_FS=y' "$kd/config" 2>/dev/null || { rm -rf "$kd"; echo "no 9p module in $parts"; return 1; }
  echo "$suite" > "$kd/suite"
  echo "$ver"
}

# Inputs of an initramfs: a change in any of them rebuilds it.
DOTNET_DIR=$(dirname "$(readlink -f "$(command -v dotnet 2>/dev/null || echo /usr/share/dotnet/dotnet)")")
initrd_stamp=$(cat "$HERE/init" "$HERE/mkinitramfs.sh" | sha256sum | cut -c1-16)-$(ls "$DOTNET_DIR/shared/Microsoft.NETCore.App" 2>/dev/null | tr '\n' ,)

for suite in bookworm-backports trixie-backports; do
  done_file=$TB/kernels/.$suite.version
  ver=
  if [ -f "$done_file" ] && [ -s "$TB/kernels/$(cat "$done_file")/vmlinuz" ]; then
    ver=$(cat "$done_file")
  elif out=$(fetch_kernel "$suite" 2>/dev/null); then
    ver=$out
    echo "$ver" > "$done_file"
    rm -f "$TB/kernels/$suite.unavailable"
  else
    echo "$out" > "$TB/kernels/$suite.unavailable"
    echo "testbed: kernel from $suite unavailable: $out"
    continue
  fi
  kd=$TB/kernels/$ver
  short=$(echo "$ver" | grep -oE '^[0-9]+\.[0-9]+')
  ln -sfn "$ver" "$TB/kernels/$short"
  if [ ! -s "$kd/initrd.gz" ] || [ "$(cat "$kd/initrd.stamp" 2>/dev/null)" != "$initrd_stamp" ]; then
    "$HERE/mkinitramfs.sh" "$kd"
    echo "$initrd_stamp" > "$kd/initrd.stamp"
  fi
  echo "testbed: kernel $short = $ver ($suite) in $kd"
done

# 3. static workloads (rebuilt when their source changes)
for src in "$HERE"/workloads/*.c; do
  name=$(basename "$src" .c)
  sum=$(sha256sum "$src" | cut -c1-16)
  if [ ! -x "$TB/bin/$name" ] || [ "$(cat "$TB/bin/.$name.sum" 2>/dev/null)" != "$sum" ]; then
    gcc -O2 -static -Wall -o "$TB/bin/$name" "$src"
    echo "$sum" > "$TB/bin/.$name.sum"
  fi
done
echo "testbed: ready in $TB"
