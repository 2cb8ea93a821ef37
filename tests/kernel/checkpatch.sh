#!/bin/bash
# SPDX-License-Identifier: MIT
#
# checkpatch.pl --strict over the efd_lkm sources (kernel C: the module, the example and the
# test module; the user-space test programs are checked separately and reported, not failed,
# because kernel-only rules such as u32/ARRAY_SIZE/msleep do not apply to them).
# Not part of CI: it needs Debian's linux-source package (~140 MB). Run as root.
#
#   tests/kernel/checkpatch.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${EFD_CACHE:-/var/cache/efd-daemon-tests}/checkpatch
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1 || true)
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends linux-source-6.1 >&2
		tarball=$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n1)
	fi
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$cache"
	tar xf "$tarball" -C "$cache" --strip-components=1 "$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch"
fi

cd "$repo/kernel"
# --no-tree makes checkpatch warn about its own unset tree root: noise, filtered.
checkpatch() { "$cache/scripts/checkpatch.pl" --strict --no-tree "$@" 2> >(grep -v -e 'uninitialized value \$root' -e "find: '/include'" -e '‘/include’' >&2); }
rc=0
echo "# kernel code"
checkpatch -f --summary-file --no-signoff \
	efd_main.c efd_ring.c efd_target.c efd_sysfs.c efd_sources.c efd_input.c efd_power.c \
	efd_kinds.c efd_compat.h efd_internal.h \
	include/efd_lkm.h \
	include/uapi/efd_lkm.h example/efd_lkm_example.c tests/module/efd_lkm_testmod.c || rc=$?
echo "# user-space test programs (informational)"
checkpatch --terse -f --summary-file tests/efd_tests.c tests/efd_test_harness.h tests/efd_seed.c || true
exit "$rc"
