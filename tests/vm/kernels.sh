#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The three Debian kernels every kernel-side check runs on, set up once per machine.
#
#   tests/vm/kernels.sh setup              install host packages, resolve and install the newest
#                                          6.1 and 6.12 (image + headers), build/refresh the trixie
#                                          chroot with the newest trixie-backports headers and
#                                          unpack that kernel's image; write $EFD_CACHE/kernels.env
#   tests/vm/kernels.sh env                print the path of kernels.env (after setup)
#   tests/vm/kernels.sh build ID DIR [ARGS]  make -C <headers of ID> M=DIR ARGS (default: modules);
#                                          ID is 6.1, 6.12 or 7; for 7 the make runs in the chroot
#
# Then: . "$EFD_CACHE/kernels.env", which sets (ID suffix 6_1, 6_12, 7):
#   EFD_CACHE, EFD_MIRROR (the apt mirror URI in use), EFD_KERNELS='6.1 6.12 7'
#   KVER_<id>      e.g. 6.1.0-56-amd64, 6.12.117+deb12-amd64, 7.3.4+deb13-amd64
#   VMLINUZ_<id>   bootable image on the host (/boot/vmlinuz-KVER; for 7 unpacked in the cache)
#   KDIR_<id>      headers dir as make sees it (for 7: the path inside CHROOT_7)
#   KDIR_HOST_<id> the same dir seen from the host
#   MODDIR_<id>    the kernel's module tree on the host (kernel/drivers/net/dummy.ko[.xz], ...)
#   CHROOT_<id>    '' for 6.1 and 6.12; for 7 the trixie chroot (gcc-14, headers, sparse, kmod)
# tests/vm/lib.sh has efd_kmake (what "build" runs) and the VM helpers.
#
# Environment: EFD_CACHE (default /var/cache/efd-daemon-tests); EFD_REFRESH=1 forces the apt
# look-ups even when a recent, valid kernels.env exists (otherwise reused for 12 hours).
# Idempotent, safe to run while other engineers run apt (DPkg::Lock::Timeout). Whoever runs
# commands in CHROOT_7 holds flock "$EFD_CACHE/chroot-trixie.lock" meanwhile (efd_kmake does).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

EFD_CACHE=${EFD_CACHE:-/var/cache/efd-daemon-tests}
export EFD_CACHE
ENV_FILE=$EFD_CACHE/kernels.env
APT=(apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 -y --no-install-recommends)
HOST_PACKAGES=(qemu-system-x86 busybox-static build-essential cpio kmod sparse mmdebstrap
	libelf-dev bc flex bison xz-utils zstd gzip util-linux python3)
CHROOT_PACKAGES=build-essential,libelf-dev,bc,flex,bison,sparse,kmod,xz-utils,ca-certificates

log() { echo "kernels.sh: $*" >&2; }

# The mirror the machine already trusts: backports and the chroot must use the same one.
mirror_uri() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	if [ -z "$uri" ]; then
		uri=$(awk '$1 == "deb" && $0 ~ /debian/ && $0 !~ /security/ { print $2; exit }' \
			/etc/apt/sources.list 2>/dev/null || true)
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}

apt_update() { "${APT[@]}" update >&2; }

host_packages() {
	local missing=() p
	for p in "${HOST_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing host packages: ${missing[*]}"
	"${APT[@]}" install "${missing[@]}" >&2
}

add_backports() {
	local f=/etc/apt/sources.list.d/efd-bookworm-backports.sources uri
	uri=$(mirror_uri)
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
		return 0
	fi
	log "adding bookworm-backports ($uri)"
	cat >"$f" <<-EOF
		Types: deb
		URIs: $uri
		Suites: bookworm-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
}

# has_candidate PACKAGE: true when apt can install it (a virtual name only referred to by others
# has no candidate, yet `apt-cache show` succeeds on it).
has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

# image_pkg KVER: the package that installs /boot/vmlinuz-KVER: linux-image-KVER, or, while
# Debian's signed build of a new kernel lags its unsigned one (it did for 6.12.118 on
# 2026-12-02: only linux-image-6.12.118+deb12-amd64-unsigned in bookworm-security),
# linux-image-KVER-unsigned: the same kernel and modules, and the VMs do not use Secure Boot.
image_pkg() {
	local k=$1
	if has_candidate "linux-image-$k"; then
		echo "linux-image-$k"
	elif has_candidate "linux-image-$k-unsigned"; then
		echo "linux-image-$k-unsigned"
	fi
}

# newest_kver REGEX-FOR-KVER: highest kver such that an image package (image_pkg) and
# linux-headers-<kver> can both be installed from some configured suite.
newest_kver() {
	local re=$1 k
	apt-cache search --names-only "^linux-headers-${re}\$" | awk '{ print $1 }' |
		sed 's/^linux-headers-//' | sort -rV | while read -r k; do
		if [ -n "$(image_pkg "$k")" ] && has_candidate "linux-headers-$k"; then
			echo "$k"
			break
		fi
	done
}

install_host_kernel() {
	local kver=$1
	if [ -e "/boot/vmlinuz-$kver" ] && [ -e "/usr/src/linux-headers-$kver/Module.symvers" ]; then
		return 0
	fi
	local image
	image=$(image_pkg "$kver")
	log "installing $image linux-headers-$kver"
	# By versioned name, from whatever suite has it: -t would drag the metapackage along.
	"${APT[@]}" install "$image" "linux-headers-$kver" >&2
}

in_chroot() { chroot "$CHROOT_7" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

# The newest kernel Debian offers (trixie-backports) wants trixie's compiler and paths.
setup_chroot() {
	local mirror lock
	mirror=$(mirror_uri)
	CHROOT_7=$EFD_CACHE/chroot-trixie
	lock=$EFD_CACHE/chroot-trixie.lock
	exec 9>"$lock"
	flock 9
	if [ ! -e "$CHROOT_7/.efd-chroot-ok" ]; then
		log "building trixie chroot in $CHROOT_7 (~1 min)"
		rm -rf "$CHROOT_7"
		mmdebstrap --variant=apt --include="$CHROOT_PACKAGES" trixie "$CHROOT_7" \
			"deb $mirror trixie main" "deb $mirror trixie-backports main" </dev/null >&2
		touch "$CHROOT_7/.efd-chroot-ok"
	fi
	cp /etc/resolv.conf "$CHROOT_7/etc/resolv.conf" 2>/dev/null || true
	in_chroot apt-get -o Acquire::Retries=3 update >&2
	KVER_7=$(in_chroot sh -c '
		apt-cache search --names-only "^linux-headers-[0-9][^ -]*-amd64\$" | awk "{ print \$1 }" |
		sed "s/^linux-headers-//" | sort -rV | while read -r k; do
			if apt-cache show "linux-binary-$k" >/dev/null 2>&1; then echo "$k"; break; fi
		done')
	[ -n "$KVER_7" ] || { log "no linux-binary/linux-headers pair in trixie(-backports)"; return 1; }
	if [ ! -e "$CHROOT_7/usr/src/linux-headers-$KVER_7/Module.symvers" ]; then
		log "installing linux-headers-$KVER_7 in the chroot"
		in_chroot apt-get -y --no-install-recommends install "linux-headers-$KVER_7" >&2
	fi
	# The image and its modules (dummy.ko for the netdev tests) are unpacked, never installed.
	local img=$EFD_CACHE/kernels/$KVER_7 pkg
	if [ ! -e "$img/.efd-unpacked" ]; then
		log "downloading linux-binary-$KVER_7 linux-modules-$KVER_7"
		rm -rf "$CHROOT_7/tmp/efd-dl" "$img"
		mkdir -p "$CHROOT_7/tmp/efd-dl" "$img"
		in_chroot sh -c "cd /tmp/efd-dl && apt-get download linux-binary-$KVER_7 linux-modules-$KVER_7" \
			>&2 2>/dev/null
		for pkg in "$CHROOT_7"/tmp/efd-dl/*.deb; do
			dpkg-deb -x "$pkg" "$img"
		done
		rm -rf "$CHROOT_7/tmp/efd-dl"
		[ -e "$img/usr/lib/modules/$KVER_7/vmlinuz" ] || { log "no vmlinuz in linux-binary-$KVER_7"; return 1; }
		touch "$img/.efd-unpacked"
	fi
	flock -u 9
}

write_env() {
	local tmp=$ENV_FILE.tmp.$$
	{
		echo "# written by tests/vm/kernels.sh setup on $(date -u +%FT%TZ)"
		echo "EFD_CACHE='$EFD_CACHE'"
		echo "EFD_MIRROR='$(mirror_uri)'"
		echo "EFD_KERNELS='6.1 6.12 7'"
		for id in 6_1 6_12; do
			local v="KVER_$id"
			echo "KVER_$id='${!v}'"
			echo "VMLINUZ_$id='/boot/vmlinuz-${!v}'"
			echo "KDIR_$id='/usr/src/linux-headers-${!v}'"
			echo "KDIR_HOST_$id='/usr/src/linux-headers-${!v}'"
			echo "MODDIR_$id='/lib/modules/${!v}'"
			echo "CHROOT_$id=''"
		done
		echo "KVER_7='$KVER_7'"
		echo "VMLINUZ_7='$EFD_CACHE/kernels/$KVER_7/usr/lib/modules/$KVER_7/vmlinuz'"
		echo "KDIR_7='/usr/src/linux-headers-$KVER_7'"
		echo "KDIR_HOST_7='$CHROOT_7/usr/src/linux-headers-$KVER_7'"
		echo "MODDIR_7='$EFD_CACHE/kernels/$KVER_7/usr/lib/modules/$KVER_7'"
		echo "CHROOT_7='$CHROOT_7'"
	} >"$tmp"
	mv "$tmp" "$ENV_FILE"
}

env_valid() {
	[ -r "$ENV_FILE" ] || return 1
	# shellcheck disable=SC1090
	(
		. "$ENV_FILE"
		for id in 6_1 6_12 7; do
			v=VMLINUZ_$id k=KDIR_HOST_$id
			[ -e "${!v}" ] && [ -e "${!k}/Module.symvers" ] || exit 1
		done
		[ -e "$CHROOT_7/.efd-chroot-ok" ] && [ -e "$EFD_CACHE/kernels/$KVER_7/.efd-unpacked" ]
	) || return 1
	[ -z "$(find "$ENV_FILE" -mmin +720)" ]
}

cmd_setup() {
	mkdir -p "$EFD_CACHE"
	if [ -z "${EFD_REFRESH:-}" ] && env_valid && host_ok; then
		log "reusing $ENV_FILE"
		return 0
	fi
	add_backports
	apt_update
	host_packages
	KVER_6_1=$(newest_kver '6\.1\.0-[0-9]+-amd64')
	KVER_6_12=$(newest_kver '6\.12\.[0-9.]+\+deb12-amd64')
	[ -n "$KVER_6_1" ] || { log "no 6.1 image+headers pair found"; return 1; }
	[ -n "$KVER_6_12" ] || { log "no 6.12 image+headers pair found"; return 1; }
	log "newest 6.1: $KVER_6_1, newest 6.12: $KVER_6_12"
	install_host_kernel "$KVER_6_1"
	install_host_kernel "$KVER_6_12"
	setup_chroot
	log "newest trixie-backports: $KVER_7"
	write_env
	log "wrote $ENV_FILE"
}

host_ok() {
	local p
	for p in "${HOST_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || return 1
	done
}

case "${1:-}" in
setup) cmd_setup ;;
env) echo "$ENV_FILE" ;;
build)
	shift
	[ $# -ge 2 ] || { echo "usage: $0 build 6.1|6.12|7 DIR [make args]" >&2; exit 2; }
	# shellcheck disable=SC1090
	. "$ENV_FILE"
	efd_kmake "$@"
	;;
*)
	awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"
	exit 2
	;;
esac
