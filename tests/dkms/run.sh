#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The DKMS package proven the way users install it: `apt install ./efd-lkm-dkms_*.deb` in
#   - a bookworm chroot with the newest 6.1 and 6.12 headers, and
#   - a trixie chroot with the newest trixie-backports headers (a copy of tests/vm's chroot),
# must build and install efd_lkm and efd_lkm_example for every kernel there (dkms status says
# "installed", the .ko is under /lib/modules/<kver>/updates/dkms with the kernel's vermagic), and
# purging the package must take them away again. Also: lintian on both packages, no errors.
#
#   tests/dkms/run.sh            uses artifacts/packages/*.deb (runs deploy/build.sh if missing;
#                                EFD_REBUILD=1 forces it)
#
# Chroots are cached under $EFD_CACHE (default /var/cache/efd-daemon-tests): dkms-bookworm,
# dkms-trixie. Output: PASS:/FAIL: lines and "N passed, N failed" (src/EfdDaemon/INTERFACES.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EFD_SUITE=dkms
# shellcheck source=../e2e/common.sh
. "$here/../e2e/common.sh"

"$EFD_ROOT/tests/vm/kernels.sh" setup >&2
# shellcheck disable=SC1091
. "$EFD_CACHE/kernels.env"
efd_packages

mounted=()
cleanup() {
	local m
	for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT

with_proc() { # CHROOT: objtool and dkms read /proc
	mountpoint -q "$1/proc" || { mount -t proc proc "$1/proc"; mounted+=("$1/proc"); }
}

# bookworm: both bookworm kernels' headers side by side, plus dkms.
ensure_bookworm() {
	local dir=$EFD_CACHE/dkms-bookworm want="linux-headers-$KVER_6_1 linux-headers-$KVER_6_12" p missing=
	if [ ! -e "$dir/.efd-chroot-ok" ]; then
		efd_log "building the bookworm chroot (~2 min, cached in $dir)"
		rm -rf --one-file-system "$dir"
		local sources=()
		mapfile -t sources < <(efd_bookworm_sources)
		mmdebstrap --variant=apt --include="dkms,build-essential,${want// /,}" bookworm "$dir" \
			"${sources[@]}" </dev/null >&2
		touch "$dir/.efd-chroot-ok"
	fi
	for p in $want; do
		efd_chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then # the mirror moved on: add the new headers, keep the rest
		cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
		efd_chroot "$dir" apt-get -o Acquire::Retries=3 update >&2
		efd_chroot "$dir" apt-get -y --no-install-recommends install $missing >&2
	fi
	echo "$dir"
}

# trixie: tests/vm's chroot has the 7.x headers and trixie's compiler; copy it (it is theirs,
# serialised by their lock) and add dkms.
ensure_trixie() {
	local dir=$EFD_CACHE/dkms-trixie
	if [ ! -e "$dir/.efd-chroot-ok" ] || [ ! -e "$dir/usr/src/linux-headers-$KVER_7/Makefile" ]; then
		efd_log "copying $CHROOT_7 to $dir and adding dkms"
		rm -rf --one-file-system "$dir"
		(
			exec 8>"$EFD_CACHE/chroot-trixie.lock"
			flock 8
			cp -a "$CHROOT_7" "$dir"
		)
		rm -f "$dir/.efd-chroot-ok"
		cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
		efd_chroot "$dir" apt-get -o Acquire::Retries=3 update >&2
		efd_chroot "$dir" apt-get -y --no-install-recommends install dkms >&2
		touch "$dir/.efd-chroot-ok"
	fi
	echo "$dir"
}

purge_pkg() { # CHROOT: a clean start, also after an interrupted run
	local v
	if efd_chroot "$1" dpkg -s efd-lkm-dkms >/dev/null 2>&1; then
		efd_chroot "$1" apt-get -y purge efd-lkm-dkms >&2 ||
			efd_chroot "$1" dpkg --purge --force-all efd-lkm-dkms >&2 || true
	fi
	for v in $(ls "$1/var/lib/dkms/efd-lkm" 2>/dev/null | grep -v '^kernel-'); do
		efd_chroot "$1" dkms remove -m efd-lkm -v "$v" --all >&2 || true
	done
	rm -rf "$1"/usr/src/efd-lkm-* "$1/var/lib/dkms/efd-lkm"
	rm -f "$1"/lib/modules/*/updates/dkms/efd_lkm*.ko*
}

# release CHROOT KVER...
check_release() {
	local release=$1 dir=$2 kver t0 out ko mod vermagic ver
	shift 2
	with_proc "$dir"
	purge_pkg "$dir" || true
	cp "$EFD_DEB_DKMS" "$dir/tmp/"
	ver=$(dpkg-deb -f "$EFD_DEB_DKMS" Version)
	t0=$SECONDS
	if out=$(efd_chroot "$dir" apt-get -y --no-install-recommends install "/tmp/$(basename "$EFD_DEB_DKMS")" 2>&1); then
		efd_pass "$release apt install ./$(basename "$EFD_DEB_DKMS") ($((SECONDS - t0)) s)"
	else
		efd_fail "$release apt install ./$(basename "$EFD_DEB_DKMS")" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
		grep -h . "$dir"/var/lib/dkms/efd-lkm/"$ver"/build/make.log 2>/dev/null | tail -n 30 >&2 || true
	fi
	efd_log "$release: $(efd_chroot "$dir" dkms status efd-lkm 2>&1 | tr '\n' ';')"
	for kver in "$@"; do
		if efd_chroot "$dir" dkms status -m efd-lkm -v "$ver" -k "$kver" 2>/dev/null | grep -q ': installed'; then
			efd_pass "$release $kver dkms status installed"
		else
			efd_fail "$release $kver dkms status installed" "$(efd_chroot "$dir" dkms status -m efd-lkm -k "$kver" 2>&1 | tr '\n' ' ')"
		fi
		for mod in efd_lkm efd_lkm_example; do
			ko=$(ls "$dir/lib/modules/$kver/updates/dkms/$mod.ko"* 2>/dev/null | head -n1 || true)
			if [ -z "$ko" ]; then
				efd_fail "$release $kver $mod.ko in updates/dkms" "not found in /lib/modules/$kver/updates/dkms"
				continue
			fi
			vermagic=$(efd_chroot "$dir" modinfo -F vermagic "${ko#"$dir"}" 2>/dev/null | cut -d' ' -f1)
			if [ "$vermagic" = "$kver" ]; then
				efd_pass "$release $kver $mod.ko in updates/dkms (vermagic $vermagic)"
			else
				efd_fail "$release $kver $mod.ko in updates/dkms" "vermagic '$vermagic'"
			fi
		done
	done
	# Purge must leave nothing behind: no module, no source, no DKMS tree.
	efd_chroot "$dir" apt-get -y purge efd-lkm-dkms >/dev/null 2>&1 || true
	local left
	left=$(ls -d "$dir"/lib/modules/*/updates/dkms/efd_lkm*.ko* "$dir/usr/src/efd-lkm-$ver" \
		"$dir/var/lib/dkms/efd-lkm" 2>/dev/null || true)
	if [ -z "$left" ]; then
		efd_pass "$release purge removes modules and source"
	else
		efd_fail "$release purge removes modules and source" "left: $(tr '\n' ' ' <<<"$left")"
	fi
	rm -f "$dir/tmp/$(basename "$EFD_DEB_DKMS")"
}

check_lintian() {
	command -v lintian >/dev/null || efd_apt install -y --no-install-recommends lintian >&2
	local deb out
	for deb in "$EFD_DEB_DAEMON" "$EFD_DEB_DKMS"; do
		out=$(lintian --tag-display-limit 0 "$deb" 2>&1 || true)
		grep -E '^[WI]: ' <<<"$out" | sed 's/^/  lintian: /' >&2 || true
		if grep -q '^E: ' <<<"$out"; then
			efd_fail "lintian $(basename "$deb") no errors" "$(grep '^E: ' <<<"$out" | tr '\n' ' ')"
		else
			efd_pass "lintian $(basename "$deb") no errors ($(grep -c '^W: ' <<<"$out" || true) warnings)"
		fi
	done
}

# Each chroot is changed by a run (install, purge): one run at a time per chroot, also when two
# checkouts test at once on one machine (they share $EFD_CACHE).
t0=$SECONDS
exec 7>"$EFD_CACHE/dkms-bookworm.lock"
flock -w 1800 7
bw=$(ensure_bookworm)
check_release bookworm "$bw" "$KVER_6_1" "$KVER_6_12"
flock -u 7
efd_log "bookworm done at $((SECONDS - t0)) s"
exec 7>"$EFD_CACHE/dkms-trixie.lock"
flock -w 1800 7
tx=$(ensure_trixie)
check_release trixie "$tx" "$KVER_7"
flock -u 7
efd_log "trixie done at $((SECONDS - t0)) s"
check_lintian
efd_summary
