# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Helpers shared by the packaging suites (tests/e2e, tests/dkms). Source it after `set -euo pipefail`.
#
#   efd_root                        the repository root
#   efd_log MSG...                  progress on stderr, prefixed with the suite name
#   efd_pass NAME / efd_fail NAME REASON / efd_skip NAME REASON
#                                   one protocol line each (src/EfdDaemon/INTERFACES.md), counted
#   efd_summary                     the closing "N passed, N failed[, N skipped]"; returns 1 on failure
#   efd_bookworm_sources            one-line apt sources for bookworm, -updates, -security and
#                                   -backports on the mirrors this machine already uses
#   efd_packages                    make sure artifacts/packages holds both .debs (runs
#                                   deploy/build.sh when one is missing or EFD_REBUILD=1);
#                                   sets EFD_DEB_DAEMON and EFD_DEB_DKMS
#   efd_apt ARGS...                 apt-get with the lock timeout every engineer uses

EFD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EFD_CACHE=${EFD_CACHE:-/var/cache/efd-daemon-tests}
export EFD_CACHE
EFD_SUITE=${EFD_SUITE:-$(basename "$(dirname "$0")")}
efd_passed=0 efd_failed=0 efd_skipped=0

efd_root() { echo "$EFD_ROOT"; }
efd_log() { echo "$EFD_SUITE: $*" >&2; }

efd_pass() { echo "PASS: $1"; efd_passed=$((efd_passed + 1)); }
efd_fail() { echo "FAIL: $1: $2"; efd_failed=$((efd_failed + 1)); }
efd_skip() { echo "SKIP: $1: $2"; efd_skipped=$((efd_skipped + 1)); }

efd_summary() {
	if [ "$efd_skipped" -gt 0 ]; then
		echo "$efd_passed passed, $efd_failed failed, $efd_skipped skipped"
	else
		echo "$efd_passed passed, $efd_failed failed"
	fi
	[ "$efd_failed" -eq 0 ]
}

efd_apt() { apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3 "$@"; }

# Debian's main and security mirrors as this machine has them (deb822 or one-line style).
efd_mirror_uri() {
	local kind=$1 uri
	if [ "$kind" = security ]; then
		uri=$(awk '/^URIs:/ && /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
		echo "${uri:-http://deb.debian.org/debian-security}"
	else
		uri=$(awk '/^URIs:/ && !/security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
		echo "${uri:-http://deb.debian.org/debian}"
	fi
}

efd_bookworm_sources() {
	local m s
	m=$(efd_mirror_uri main)
	s=$(efd_mirror_uri security)
	printf '%s\n' "deb $m bookworm main" "deb $m bookworm-updates main" \
		"deb $s bookworm-security main" "deb $m bookworm-backports main"
}

efd_trixie_sources() {
	local m s
	m=$(efd_mirror_uri main)
	s=$(efd_mirror_uri security)
	printf '%s\n' "deb $m trixie main" "deb $m trixie-updates main" \
		"deb $s trixie-security main" "deb $m trixie-backports main"
}

efd_packages() {
	local dir=$EFD_ROOT/artifacts/packages
	EFD_DEB_DAEMON=$(ls -t "$dir"/efd-daemon_*_amd64.deb 2>/dev/null | head -n1 || true)
	EFD_DEB_DKMS=$(ls -t "$dir"/efd-lkm-dkms_*_all.deb 2>/dev/null | head -n1 || true)
	if [ -n "${EFD_REBUILD:-}" ] || [ -z "$EFD_DEB_DAEMON" ] || [ -z "$EFD_DEB_DKMS" ]; then
		efd_log "building the packages (deploy/build.sh)"
		"$EFD_ROOT/deploy/build.sh" >&2
		EFD_DEB_DAEMON=$(ls -t "$dir"/efd-daemon_*_amd64.deb | head -n1)
		EFD_DEB_DKMS=$(ls -t "$dir"/efd-lkm-dkms_*_all.deb | head -n1)
	fi
	efd_log "using $(basename "$EFD_DEB_DAEMON") and $(basename "$EFD_DEB_DKMS")"
}

# chroot with a clean environment; /proc mounted by the caller when a build needs it
efd_chroot() {
	local dir=$1
	shift
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}
