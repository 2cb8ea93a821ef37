#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The efd_lkm module test harness: builds the module for each Debian kernel (W=1, sparse),
# boots that kernel under qemu (TCG) with a busybox initramfs and runs kernel/tests/efd_tests
# inside, then scans the guest's dmesg.
#
#   tests/kernel/run.sh [--kernel 6.1|6.12|7]... [--case NAME]...
#
# --case runs only the named cases of kernel/tests/efd_tests.c (efd_tests --list names them),
# for iterating; the build and dmesg checks run as always.
#
# Output (src/EfdDaemon/INTERFACES.md): "PASS: <kernel> <case>" or "FAIL: <kernel> <case>: <reason>"
# per case and kernel, lines starting with '#' for information, and last "N passed, N failed".
# Exit 1 on any failure. Inside the guest efd_tests speaks TAP ("ok N case",
# "not ok N case # reason"); this script translates it.
# Needs root (apt, chroot, module builds). Build outputs: ${EFD_BUILD:-<repo>/artifacts}/kernel-tests.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../vm/lib.sh
. "$repo/tests/vm/lib.sh"

kernels=()
only=()
while [ $# -gt 0 ]; do
	case "$1" in
	--case)
		[ -n "${2:-}" ] || { echo "run.sh: --case takes a case name" >&2; exit 2; }
		only+=("$2")
		shift 2
		;;
	--kernel)
		case "${2:-}" in
		6.1 | 6.12 | 7) kernels+=("$2") ;;
		*) echo "run.sh: --kernel takes 6.1, 6.12 or 7" >&2; exit 2 ;;
		esac
		shift 2
		;;
	-h | --help) awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12 7)

passed=0
failed=0
pass() { echo "PASS: $1 $2"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1 $2: $3"; failed=$((failed + 1)); }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

out=${EFD_BUILD:-$repo/artifacts}/kernel-tests
mkdir -p "$out"

echo "# setting up kernels (tests/vm/kernels.sh setup; log: $out/setup.log)"
if ! "$repo/tests/vm/kernels.sh" setup >"$out/setup.log" 2>&1; then
	tail -n 20 "$out/setup.log" | sed 's/^/# /'
	for k in "${kernels[@]}"; do fail "$k" setup "tests/vm/kernels.sh setup failed (see $out/setup.log)"; done
	finish
fi
EFD_CACHE=${EFD_CACHE:-/var/cache/efd-daemon-tests}
# shellcheck disable=SC1091
. "$EFD_CACHE/kernels.env"

# The test programs are static: one build serves every kernel.
progs=$out/progs
mkdir -p "$progs"
cflags=(-static -O2 -Wall -Wextra -Werror -Wno-format-truncation)
if ! { gcc "${cflags[@]}" -o "$progs/efd_tests" "$repo/kernel/tests/efd_tests.c" &&
	gcc "${cflags[@]}" -o "$progs/efd_seed" "$repo/kernel/tests/efd_seed.c"; } >"$out/progs.log" 2>&1; then
	sed 's/^/# /' "$out/progs.log"
	for k in "${kernels[@]}"; do fail "$k" test_programs "gcc failed (see $out/progs.log)"; done
	finish
fi
mapfile -t cases < <("$progs/efd_tests" --list)
if [ ${#only[@]} -gt 0 ]; then
	for c in "${only[@]}"; do
		printf '%s\n' "${cases[@]}" | grep -qxF "$c" || { echo "run.sh: no case $c" >&2; exit 2; }
	done
	cases=("${only[@]}")
fi

# Copies the module sources and the test module (not the test programs, not build
# leftovers) to $1.
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$repo/kernel" && tar cf - --exclude=./tests/efd_tests.c --exclude=./tests/efd_seed.c \
		--exclude=./tests/efd_test_harness.h --exclude='.checkpatch-*' \
		--exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' --exclude=Module.symvers \
		--exclude=modules.order .) | (cd "$1" && tar xf -)
}

build_module() {
	local k=$1 src=$2 log=$3 flags=(W=1) name=build_w1_sparse
	# Sparse 0.6.4 (Debian's, and the newest release) cannot parse 7.x headers
	# (__typeof_unqual__ under __CHECKER__), and Debian's 7.x headers lack
	# scripts/checker-valid.sh, so C=1 there would be skipped or fail on the kernel's own code.
	if [ "$k" = 7 ]; then
		name=build_w1
	else
		flags+=(C=1)
	fi
	copy_sources "$src"
	if ! efd_kmake "$k" "$src" "${flags[@]}" EFD_LKM_TESTMOD=m -j"$(nproc)" modules >"$log" 2>&1; then
		fail "$k" "$name" "make ${flags[*]} failed: $(grep -m1 -E 'error|Error' "$log")"
		return 1
	fi
	# Warnings from gcc (W=1) and sparse both say "warning:"; sparse errors say "error:".
	if grep -qE 'warning:|error:' "$log"; then
		fail "$k" "$name" "make ${flags[*]}: $(grep -m1 -E 'warning:|error:' "$log")"
		return 1
	fi
	pass "$k" "$name"
}

make_initramfs() {
	local k=$1 src=$2 root=$3 m ko
	efd_busybox_root "$root"
	mkdir -p "$root/efd"
	cp "$src/efd_lkm.ko" "$src/example/efd_lkm_example.ko" \
		"$src/tests/module/efd_lkm_testmod.ko" "$progs/efd_tests" \
		"$progs/efd_seed" "$root/efd/"
	# The kernel's own modules the cases load: a dummy network device, the ACPI power
	# button (QMP system_powerdown presses it) and uinput. None depends on another module
	# on Debian's kernels (modinfo -F depends is empty); 6.12's and 7.x's are .ko.xz, which
	# efd_copy_module decompresses for finit_module().
	for m in dummy button uinput; do
		ko=$(efd_find_module "$k" "$m")
		[ -n "$ko" ] || { echo "# no $m.ko for $k"; return 1; }
		efd_copy_module "$ko" "$root/efd/$m.ko"
	done
	cat >"$root/init" <<-'EOF'
		#!/bin/sh
		/bin/busybox --install -s /bin
		mount -t proc proc /proc
		mount -t sysfs sysfs /sys
		mount -t devtmpfs devtmpfs /dev
		echo EFD-BOOTED
		timeout 480 /efd/efd_tests /efd $(cat /efd/cases)
		echo "EFD-TESTS-EXIT $?"
		echo EFD-DMESG-BEGIN
		dmesg
		echo EFD-DMESG-END
		poweroff -f
	EOF
	chmod +x "$root/init"
	printf '%s\n' "${only[@]}" >"$root/efd/cases"
	efd_pack_initramfs "$root" "$root.cpio.gz"
}

# The module-path benchmark's figures (case bench_module_path), one table row per mode and
# kernel, in artifacts/bench/module-path.md.
bench=${EFD_BUILD:-$repo/artifacts}/bench/module-path.md
bench_report() {
	local k=$1 kver=$2 log=$3 line mode v ratio mratio rel
	grep -q 'EFD-BENCH abi1' "$log" || return 0
	if [ ! -s "$bench.tmp" ]; then
		mkdir -p "$(dirname "$bench")"
		{
			echo "# Module path: a 100-record trigger burst (VM, TCG -smp 4: compare ratios only)"
			echo
			echo "\`tests/kernel/run.sh\`, $(date -u +%FT%TZ), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null)."
			echo "The reader thread (vCPU 1) waits on the eventfd the way efd-daemon does, then reads the"
			echo "eventfd and the device until a short read; the opted-in reader also commits. The writer"
			echo "(vCPU 0) writes \`100\` to \`trigger\`: records/s is 100 over that write (the module path:"
			echo "100 records made and rung from process context). 101 bursts per reader, interleaved, in"
			echo "one VM run; the gate compares the fastest bursts (the least disturbed by the host), the"
			echo "medians are beside them. Delivered: from the write until the reader holds all 100."
			echo
			echo "| kernel | reader | records/s (fastest burst) | vs ABI 1 | records/s (median) | vs ABI 1 | signals per record | delivered (µs, median) |"
			echo "|---|---|---|---|---|---|---|---|"
		} >"$bench.tmp"
	fi
	ratio=$(grep -m1 -oE 'EFD-BENCH ratio=[0-9.]+' "$log" | cut -d= -f2)
	mratio=$(grep -m1 -oE 'median_ratio=[0-9.]+' "$log" | cut -d= -f2)
	for mode in abi1 abi2; do
		line=$(grep -m1 -oE "EFD-BENCH $mode .*" "$log")
		v() { sed -nE "s/.*[ ]$1=([0-9.]+).*/\\1/p" <<<"$line"; }
		echo "# $k bench $mode: $(v records_per_s) records/s fastest, $(v median_records_per_s) median, $(v signals_per_record) signals per record"
		if [ "$mode" = abi1 ]; then
			rel="ABI 1 (never writes) | $(v records_per_s) | 1 | $(v median_records_per_s) | 1"
		else
			rel="opted in (commits) | $(v records_per_s) | ${ratio}x | $(v median_records_per_s) | ${mratio}x"
		fi
		echo "| $kver | $rel | $(v signals_per_record) | $(v delivered_median_us) |" >>"$bench.tmp"
	done
	cp "$bench.tmp" "$bench"
}

run_kernel() {
	local k=$1 kver vmlinuz dir t0 t1 t2 log rc c line
	kver=$(efd_kvar KVER "$k")
	vmlinuz=$(efd_kvar VMLINUZ "$k")
	dir=$out/$k
	mkdir -p "$dir"
	echo "# kernel $k = $kver"
	t0=$(date +%s)
	build_module "$k" "$dir/src" "$dir/build.log" || return
	if ! make_initramfs "$k" "$dir/src" "$dir/root" >"$dir/initramfs.log" 2>&1; then
		fail "$k" initramfs "$(tail -n1 "$dir/initramfs.log")"
		return
	fi
	t1=$(date +%s)
	log=$dir/console.log
	rc=0
	# -smp 4 for the stress case; the benchmark pins itself to CPUs 0 and 1. One host thread for
	# the four vCPUs: with multi-threaded TCG, qemu 7.2 lets a vCPU execute a half-patched int3
	# while the kernel patches its text (7.3 oopsed in sched_clock_cpu at 2.9 s, before /init, in
	# one CI run); with one thread the vCPUs still interleave, preempted every few milliseconds.
	EFD_QEMU_TCG_THREAD=single EFD_QEMU_SMP=4 efd_qemu_boot "$vmlinuz" "$dir/root.cpio.gz" "$log" 540 || rc=$?
	t2=$(date +%s)
	echo "# $k: build+initramfs $((t1 - t0)) s, qemu boot+tests $((t2 - t1)) s (console: $log)"

	# Unanchored: the console puts escape sequences before the first line.
	if ! grep -q 'EFD-BOOTED' "$log"; then
		fail "$k" boot "the guest never ran /init (qemu status $rc)"
		return
	fi
	# TAP: "ok N case" or "not ok N case # reason" (kernel/tests/efd_test_harness.h).
	for c in "${cases[@]}"; do
		line=$(grep -m1 -oE "(not )?ok [0-9]+ $c( # .*)?\$" "$log")
		case "$line" in
		"ok "*) pass "$k" "$c" ;;
		"not ok "*" # "*) fail "$k" "$c" "${line#* # }" ;;
		"not ok "*) fail "$k" "$c" "failed without a reason" ;;
		*) fail "$k" "$c" "no result (guest hung or crashed; qemu status $rc)" ;;
		esac
	done
	bench_report "$k" "$kver" "$log"
	if ! grep -q 'EFD-DMESG-END' "$log"; then
		fail "$k" dmesg_clean "no dmesg from the guest (qemu status $rc)"
	elif hits=$(efd_dmesg_scan "$log"); then
		pass "$k" dmesg_clean
	else
		fail "$k" dmesg_clean "$(echo "$hits" | head -n1)"
		echo "$hits" | head -n 40 | sed 's/^/# /'
	fi
}

rm -f "$bench.tmp"
for k in "${kernels[@]}"; do
	run_kernel "$k"
done
rm -f "$bench.tmp"
[ ! -s "$bench" ] || echo "# benchmark table: $bench"
finish
