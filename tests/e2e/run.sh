#!/bin/bash
# SPDX-License-Identifier: MIT
#
# End to end on a booted Debian: the efd-daemon .deb installed in a bookworm systemd rootfs, the
# module prebuilt for the guest kernel under /lib/modules/<kver>/updates, booted in qemu (TCG)
# with Debian's own kernel and initrd, driven from inside by a test unit (guest/efd-e2e).
#
#   tests/e2e/run.sh [--kernels "6.1 6.12"] [--kills N] [--soak SECONDS] [--release] [--rebuild]
#       the cases, then the soak on each kernel: a stream of records, N kill -9 of the daemon
#       (default 10, env EFD_SOAK_KILLS) and EFD_SOAK_RESTARTS systemctl restarts (default 1)
#       at random points (EFD_SOAK_SEED), then SECONDS undisturbed for the memory judgement
#       (default and least 70, env EFD_SOAK_SECONDS; 0 = no soak); every record accounted for.
#       --release: the long soak of the release suite (40 kills, 8 restarts, 600 s undisturbed).
#       PASS:/FAIL: lines "<kernel> <case>", then "N passed, N failed" (src/EfdDaemon/INTERFACES.md)
#   tests/e2e/run.sh --demo
#       builds everything (deploy/build.sh), boots the 6.12 VM, starts the daemon, raises
#       events and shows `journalctl -u efd-daemon` with them handled
#
# Uses artifacts/packages/*.deb (deploy/build.sh runs when one is missing, with --rebuild, or in
# --demo). Caches the bookworm rootfs under $EFD_CACHE; works in artifacts/e2e.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EFD_SUITE=e2e
# shellcheck source=common.sh
. "$here/common.sh"
# shellcheck source=../vm/lib.sh
. "$EFD_ROOT/tests/vm/lib.sh"

mode=test
kernels="6.1 6.12"
soak=${EFD_SOAK_SECONDS:-70}
kills=${EFD_SOAK_KILLS:-10}
restarts=${EFD_SOAK_RESTARTS:-1}
seed=${EFD_SOAK_SEED:-$RANDOM}
while [ $# -gt 0 ]; do
	case $1 in
	--demo) mode=demo; kernels=6.12; EFD_REBUILD=${EFD_REBUILD-1} ;;
	--kernels) kernels=$2; shift ;;
	--soak) soak=$2; shift ;;
	--kills) kills=$2; shift ;;
	--release) soak=600 kills=40 restarts=8 ;;
	--rebuild) EFD_REBUILD=1 ;;
	--no-build) EFD_REBUILD= ;;
	-h | --help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
export EFD_REBUILD

say() { # progress for a person (demo) or the log (test)
	if [ "$mode" = demo ]; then printf '\033[1m[demo %3ds]\033[0m %s\n' "$SECONDS" "$*"; else efd_log "[${SECONDS}s] $*"; fi
}

work=$EFD_ROOT/artifacts/e2e
mkdir -p "$work"
if [ "$mode" = demo ]; then
	# A person watches: progress lines and the guest's output here, the tools' chatter in a log.
	exec 2>"$work/demo.log"
	trap 'rc=$?; [ $rc -eq 0 ] || { echo "demo failed (exit $rc); the end of $work/demo.log:"; tail -n 25 "$work/demo.log"; }' EXIT
	say "tool output goes to $work/demo.log"
fi
ROOTFS_PKGS=systemd,systemd-sysv,udev,dbus,kmod,procps,iproute2,jq,libstdc++6,libgcc-s1
ROOTFS_DIR=$EFD_CACHE/e2e-bookworm-$(echo "$ROOTFS_PKGS" | md5sum | cut -c1-8)

say "setting up the kernels (tests/vm/kernels.sh setup)"
"$EFD_ROOT/tests/vm/kernels.sh" setup >&2
# shellcheck disable=SC1091
. "$EFD_CACHE/kernels.env"
command -v mkfs.ext4 >/dev/null || efd_apt install -y --no-install-recommends e2fsprogs >&2
command -v jq >/dev/null || efd_apt install -y --no-install-recommends jq >&2

say "building the packages (deploy/build.sh; ~2 min on a fresh machine)"
efd_packages

# The guest's modules, built out of tree from a copy (kernel/ is the kernel engineer's tree).
build_modules() { # ID -> $work/mod-ID/{efd_lkm.ko,example/efd_lkm_example.ko}
	local id=$1 dir=$work/mod-$1
	rm -rf --one-file-system "$dir"
	mkdir -p "$dir"
	(cd "$EFD_ROOT/kernel" && find . -path ./tests -prune -o -type f \
		\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -print0 | xargs -0r cp --parents -t "$dir")
	efd_kmake "$id" "$dir" modules >"$dir/build.log" 2>&1 || { tail -n 20 "$dir/build.log" >&2; return 1; }
}

base_rootfs() {
	# Built once per machine; a second checkout testing at the same time waits for it.
	exec 7>"$ROOTFS_DIR.lock"
	flock -w 1800 7
	if [ ! -e "$ROOTFS_DIR/.efd-rootfs-ok" ]; then
		say "building the bookworm systemd rootfs (mmdebstrap, ~1 min, cached in $ROOTFS_DIR)"
		rm -rf --one-file-system "$ROOTFS_DIR"
		local sources=()
		mapfile -t sources < <(efd_bookworm_sources | grep -v backports)
		mmdebstrap --variant=apt --include="$ROOTFS_PKGS" bookworm "$ROOTFS_DIR" \
			"${sources[@]}" </dev/null >&2
		touch "$ROOTFS_DIR/.efd-rootfs-ok"
	fi
	flock -u 7
}

# One rootfs tree with the package installed and both kernels' modules.
prepare_rootfs() {
	local dir=$work/rootfs id kver mdir dummy button
	rm -rf --one-file-system "$dir"
	mkdir -p "$dir"
	cp -a "$ROOTFS_DIR/." "$dir/"
	rm -f "$dir/.efd-rootfs-ok"
	# The package's maintainer scripts run here as on a real install (no systemd running:
	# enabled, not started); the guest installs it once more to prove the upgrade path.
	mkdir -p "$dir/var/cache/efd-e2e"
	cp "$EFD_DEB_DAEMON" "$dir/var/cache/efd-e2e/"
	efd_chroot "$dir" dpkg -i "/var/cache/efd-e2e/$(basename "$EFD_DEB_DAEMON")" >&2
	install -m 0644 "$here/guest/50-e2e.json" "$dir/etc/efd-daemon/conf.d/50-e2e.json"
	install -D -m 0644 -t "$dir/usr/local/share/efd-e2e" "$here/guest/50-e2e.json" "$here/guest/60-e2e-reload.json"
	install -D -m 0755 "$here/guest/efd-e2e" "$dir/usr/local/sbin/efd-e2e"
	install -D -m 0755 "$here/guest/efd-e2e-acpid" "$dir/usr/local/sbin/efd-e2e-acpid"
	# The power button belongs to efd-daemon's rules, as a user moving from acpid sets it up.
	install -D -m 0644 "$here/guest/logind-e2e.conf" "$dir/etc/systemd/logind.conf.d/50-e2e.conf"
	install -m 0644 "$here/guest/efd-e2e.service" "$dir/etc/systemd/system/efd-e2e.service"
	install -D -m 0644 "$here/guest/journald-e2e.conf" "$dir/etc/systemd/journald.conf.d/50-e2e.conf"
	ln -sf /etc/systemd/system/efd-e2e.service "$dir/etc/systemd/system/multi-user.target.wants/efd-e2e.service"
	# Quiet console: no gettys (the test unit owns ttyS0), no status lines.
	ln -sf /dev/null "$dir/etc/systemd/system/serial-getty@ttyS0.service"
	ln -sf /dev/null "$dir/etc/systemd/system/getty@tty1.service"
	echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$dir/etc/fstab"
	echo efd-e2e >"$dir/etc/hostname"
	for id in $kernels; do
		kver=$(efd_kvar KVER "$id")
		mdir=$dir/lib/modules/$kver
		mkdir -p "$mdir/updates"
		cp "$work/mod-$id/efd_lkm.ko" "$work/mod-$id/example/efd_lkm_example.ko" "$mdir/updates/"
		dummy=$(efd_find_module "$id" dummy)
		[ -n "$dummy" ] || { efd_log "no dummy.ko for $kver"; return 1; }
		efd_copy_module "$dummy" "$mdir/updates/dummy.ko"
		# The ACPI power button (QMP system_powerdown presses it); udev loads it by its alias.
		button=$(efd_find_module "$id" button)
		[ -n "$button" ] || { efd_log "no button.ko for $kver"; return 1; }
		efd_copy_module "$button" "$mdir/updates/button.ko"
		cp "/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$mdir/" 2>/dev/null || true
		depmod -b "$dir" "$kver"
	done
}

# The QMP follower (tests/vm/qmp.py) runs each "EFD-QMP <command>" line the guest prints.
qmp_follow() { # SOCKET CONSOLE-FILE -> the follower's pid in $follower
	/usr/bin/python3 "$EFD_ROOT/tests/vm/qmp.py" --follow "$1" "$2" >"$log.qmp" 2>&1 &
	follower=$!
}

boot() { # ID -> console log in $work/console-ID.log; returns qemu/timeout status
	local id=$1 kver img log secs append rc=0 qmpdir follower
	kver=$(efd_kvar KVER "$id")
	img=$work/rootfs-$id.img
	log=$work/console-$id.log
	rm -f "$img"
	mkfs.ext4 -q -F -L root -d "$work/rootfs" "$img" 1200M >&2
	append="console=ttyS0 panic=-1 quiet root=/dev/vda rw systemd.show_status=false efd.e2e=$mode"
	append="$append efd.soak=$soak efd.kills=$kills efd.restarts=$restarts efd.seed=$seed"
	# TCG on a loaded 2-vCPU host: boot + cases took up to 540 s; a kill or restart until the
	# daemon is attached again up to 71 s (load average 11)
	secs=$((600 + soak * 3 / 2 + (kills + restarts) * 80))
	# A short path: a unix socket's name must fit in 108 bytes.
	qmpdir=$(mktemp -d /tmp/efd-qmp.XXXXXX)
	if [ "$mode" = demo ]; then
		: >"$log"
		qmp_follow "$qmpdir/qmp.sock" "$log"
		timeout --kill-after=10 "$secs" qemu-system-x86_64 -accel tcg -cpu max -m 1536 -smp 2 \
			-nographic -no-reboot -nic none -kernel "/boot/vmlinuz-$kver" -initrd "/boot/initrd.img-$kver" \
			-qmp "unix:$qmpdir/qmp.sock,server=on,wait=off" \
			-append "$append" -drive "file=$img,format=raw,if=virtio" </dev/null 2>&1 |
			stdbuf -oL tr -d '\r' | tee "$log" | stdbuf -oL grep -a 'E2E| ' | stdbuf -oL sed 's/.*E2E| //' || rc=$?
	else
		: >"$log.raw"
		qmp_follow "$qmpdir/qmp.sock" "$log.raw"
		timeout --kill-after=10 "$secs" qemu-system-x86_64 -accel tcg -cpu max -m 1536 -smp 2 \
			-nographic -no-reboot -nic none -kernel "/boot/vmlinuz-$kver" -initrd "/boot/initrd.img-$kver" \
			-qmp "unix:$qmpdir/qmp.sock,server=on,wait=off" \
			-append "$append" -drive "file=$img,format=raw,if=virtio" </dev/null >"$log.raw" 2>&1 || rc=$?
		tr -d '\r' <"$log.raw" >"$log"
		rm -f "$log.raw"
	fi
	kill "$follower" 2>/dev/null
	wait "$follower" 2>/dev/null
	rm -rf "$qmpdir" "$img"
	return "$rc"
}

# The unit's sandbox, scored offline on the host (bookworm's systemd 252).
if [ "$mode" = test ] && command -v systemd-analyze >/dev/null; then
	exposure=$(systemd-analyze security --offline=yes "$EFD_ROOT/deploy/systemd/efd-daemon.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.5) }'; then
		efd_pass "unit exposure $exposure <= 2.5 (systemd-analyze security --offline)"
	else
		efd_fail "unit exposure <= 2.5" "systemd-analyze says '${exposure:-nothing}'"
	fi
fi

[ "$mode" = demo ] || [ "$soak" -eq 0 ] ||
	say "soak: $kills kill -9, $restarts restarts, ${soak}s undisturbed; seed $seed (EFD_SOAK_SEED=$seed repeats the same random points)"
t_all=$SECONDS
built=
for id in $kernels; do
	say "building efd_lkm for $(efd_kvar KVER "$id")"
	if build_modules "$id"; then
		built="$built $id"
	else
		efd_fail "$id build efd_lkm for the guest kernel" "see $work/mod-$id/build.log"
	fi
done
kernels=$built
base_rootfs
say "preparing the rootfs: dpkg -i $(basename "$EFD_DEB_DAEMON"), modules for: $kernels"
prepare_rootfs

for id in $kernels; do
	kver=$(efd_kvar KVER "$id")
	say "booting $kver in qemu (TCG; $([ "$mode" = demo ] && echo "~1 min" || echo "~$((3 + (soak + (kills + restarts) * 16) / 60)) min"))"
	t0=$SECONDS
	rc=0
	boot "$id" || rc=$?
	wall=$((SECONDS - t0))
	log=$work/console-$id.log
	if [ "$mode" = demo ]; then
		grep -q 'E2E| INFO: guest done' "$log" || { say "the guest did not finish (qemu exit $rc); console: $log"; exit 1; }
		say "done in ${wall}s. Console log: $log"
		exit 0
	fi
	grep -a -o 'E2E| INFO: .*' "$log" | sed "s/^E2E| INFO: /e2e: $id: /" >&2 || true
	grep -a -o 'E2E# .*' "$log" | sed "s/^E2E# /e2e: $id:   /" >&2 || true
	while IFS= read -r line; do
		case $line in
		PASS:*) efd_pass "$id ${line#PASS: }" ;;
		FAIL:*) echo "FAIL: $id ${line#FAIL: }"; efd_failed=$((efd_failed + 1)) ;;
		esac
	done < <(grep -a -o 'E2E| \(PASS\|FAIL\): .*' "$log" | sed 's/^E2E| //')
	if grep -aq 'E2E| INFO: guest done' "$log"; then
		efd_pass "$id guest ran to the end and powered off (${wall}s wall)"
	else
		efd_fail "$id guest ran to the end" "qemu exit $rc after ${wall}s; last console lines: $(tail -n 5 "$log" | tr '\n' ' ')"
	fi
	bad=$(grep -aE "$EFD_DMESG_BAD" "$log" | head -n 3 || true)
	[ -z "$bad" ] || efd_fail "$id console shows no kernel bug" "$bad"
	efd_log "$kver: qemu start to poweroff ${wall}s"
done
efd_log "total ${SECONDS}s (VMs $((SECONDS - t_all))s)"
efd_summary
