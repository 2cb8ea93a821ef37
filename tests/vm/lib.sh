# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Shell helpers shared by the VM harnesses (tests/kernel, end-to-end). Source it; it sets no
# options of its own. Functions that need the kernels expect kernels.env to be sourced
# (tests/vm/kernels.sh setup, then . "$EFD_CACHE/kernels.env").
#
#   efd_kid ID                      6.1 -> 6_1 (the suffix of the kernels.env variables)
#   efd_kvar NAME ID                value of NAME_<kid>, e.g. efd_kvar VMLINUZ 6.12
#   efd_kmake ID DIR [ARGS...]      make -C <headers> M=DIR ARGS (default "modules"); for a kernel
#                                   with a CHROOT_<kid> the make runs inside the chroot with /proc
#                                   mounted and DIR bind-mounted (serialised by a lock)
#   efd_find_module ID NAME         path of NAME.ko* in the kernel's module tree (may be .ko.xz)
#   efd_copy_module SRC DEST        copy a .ko, decompressing .ko.xz/.ko.zst/.ko.gz to DEST
#   efd_busybox_root DIR            fresh initramfs skeleton: busybox-static, /bin/sh, dirs
#   efd_copy_with_libs BIN ROOT     copy a dynamic binary and what ldd lists into ROOT
#   efd_pack_initramfs DIR OUT      newc cpio, gzip -1
#   efd_qemu_boot VMLINUZ INITRD LOG [SECONDS [APPEND [QEMU-ARGS...]]]
#                                   boot under TCG (never KVM; EFD_QEMU_TCG_THREAD=single for one host thread; -cpu max -smp ${EFD_QEMU_SMP:-2}
#                                   -m ${EFD_QEMU_MEM:-1024}), with a QMP socket whose follower
#                                   (tests/vm/qmp.py --follow) runs each "EFD-QMP <command>"
#                                   line the guest prints on its console (log: LOG.qmp),
#                                   wrapped in timeout (default 300 s); APPEND is added to
#                                   "console=ttyS0 panic=-1 quiet"; QEMU-ARGS go to qemu as they are
#                                   (e.g. -drive file=rootfs.img,format=raw,if=virtio); the serial
#                                   console, \r stripped, goes to LOG; returns timeout's status
#                                   (124 = timed out)
#   efd_dmesg_scan LOG              print lines that show a kernel bug ($EFD_DMESG_BAD) or a
#                                   lockup or stall ($EFD_DMESG_STALL); returns 1 if any

EFD_DMESG_BAD='BUG:|WARNING:|Oops|general protection|refcount_t|Call Trace'
# Lockups and stalls (efd_dmesg_scan adds them): a deadlock in the module shows as one of these.
EFD_DMESG_STALL='soft lockup|rcu.*stall|hung_task'

efd_kid() { echo "${1//./_}"; }

efd_kvar() {
	local v
	v="$1_$(efd_kid "$2")"
	echo "${!v-}"
}

efd_kmake() {
	local id=$1 dir=$2 kdir chroot
	shift 2
	[ $# -gt 0 ] || set -- modules
	dir=$(cd "$dir" && pwd)
	kdir=$(efd_kvar KDIR "$id")
	chroot=$(efd_kvar CHROOT "$id")
	[ -n "$kdir" ] || { echo "efd_kmake: unknown kernel '$id' (kernels.env sourced?)" >&2; return 2; }
	if [ -z "$chroot" ]; then
		make -C "$kdir" M="$dir" "$@"
		return
	fi
	(
		exec 8>"$EFD_CACHE/chroot-trixie.lock"
		flock 8
		local mnt=/build/efd-$$ rc=0 own_proc=
		mkdir -p "$chroot$mnt"
		if ! mountpoint -q "$chroot/proc"; then
			# objtool reads /proc ("read_stack_limit: fopen failed" without it)
			mount -t proc proc "$chroot/proc"
			own_proc=1
		fi
		mount --bind "$dir" "$chroot$mnt"
		chroot "$chroot" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			make -C "$kdir" M="$mnt" "$@" || rc=$?
		umount "$chroot$mnt"
		rmdir "$chroot$mnt"
		[ -z "$own_proc" ] || umount "$chroot/proc"
		exit $rc
	)
}

efd_find_module() {
	local moddir
	moddir=$(efd_kvar MODDIR "$1")
	find "$moddir/kernel" -name "$2.ko*" 2>/dev/null | head -n1
}

efd_copy_module() {
	case "$1" in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -qdc "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

efd_busybox_root() {
	local root=$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib,lib64,etc,root}
	cp /bin/busybox "$root/bin/busybox"
	# /init's #!/bin/sh needs the link inside the archive; the rest is --install'ed at boot.
	ln -s busybox "$root/bin/sh"
}

efd_copy_with_libs() {
	local bin=$1 root=$2 lib
	mkdir -p "$root$(dirname "$bin")"
	cp -L "$bin" "$root$bin"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

efd_pack_initramfs() {
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"
}

efd_vm_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

efd_qemu_boot() {
	local kernel=$1 initrd=$2 log=$3 secs=${4:-300} append=${5:-} rc=0 qmpdir qemu follower
	shift 5 2>/dev/null || shift $#
	# A short path: a unix socket's name must fit in 108 bytes.
	qmpdir=$(mktemp -d /tmp/efd-qmp.XXXXXX)
	: >"$log.raw"
	timeout --kill-after=10 "$secs" qemu-system-x86_64 -accel "tcg${EFD_QEMU_TCG_THREAD:+,thread=$EFD_QEMU_TCG_THREAD}" -cpu max \
		-m "${EFD_QEMU_MEM:-1024}" -smp "${EFD_QEMU_SMP:-2}" -nographic -no-reboot \
		-kernel "$kernel" -initrd "$initrd" -qmp "unix:$qmpdir/qmp.sock,server=on,wait=off" \
		-append "console=ttyS0 panic=-1 quiet $append" "$@" </dev/null >"$log.raw" 2>&1 &
	qemu=$!
	/usr/bin/python3 "$efd_vm_dir/qmp.py" --follow "$qmpdir/qmp.sock" "$log.raw" >"$log.qmp" 2>&1 &
	follower=$!
	wait "$qemu" || rc=$?
	kill "$follower" 2>/dev/null
	wait "$follower" 2>/dev/null
	rm -rf "$qmpdir"
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
	return "$rc"
}

efd_dmesg_scan() {
	! grep -E "$EFD_DMESG_BAD|$EFD_DMESG_STALL" "$1"
}
