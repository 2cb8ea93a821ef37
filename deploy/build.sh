#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The one "build everything" script: CI, Dockerfile.builder and the README call it.
#
#   deploy/build.sh [--lintian] [--out DIR]
#
# 1. publishes the daemon (self-contained, ReadyToRun, linux-x64, on the JIT: NativeAOT cannot
#    load plugins) and every sample plugin under src/plugins/ into a staged /usr/lib/efd-daemon,
#    and efdctl NativeAOT into /usr/sbin (a failed NativeAOT publish fails the build);
# 2. stages and builds efd-daemon_<ver>_amd64.deb and efd-lkm-dkms_<ver>_all.deb with
#    `dpkg-deb --root-owner-group` (no debhelper, no network besides NuGet);
# 3. with --lintian, runs lintian on both and fails on an error (warnings are printed).
#
# The version comes from one place: <Version> in Directory.Build.props.
# Everything it writes is under artifacts/ (gitignored): artifacts/build (dotnet's bin/obj),
# artifacts/stage (the package trees), artifacts/packages (the .debs, or --out DIR).
# Needs: the .NET SDK of global.json, dpkg-dev (dpkg-deb), gzip; clang or gcc and zlib1g-dev for
# the NativeAOT efdctl.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deploy=$root/deploy
art=$root/artifacts
out=$art/packages
run_lintian=

while [ $# -gt 0 ]; do
	case $1 in
	--lintian) run_lintian=1 ;;
	--out) out=$(realpath -m "$2"); shift ;;
	-h | --help) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "build.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

log() { printf 'build.sh: %s\n' "$*" >&2; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n1)
[ -n "$version" ] || { log "no <Version> in Directory.Build.props"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Reproducible timestamps in the .debs (dpkg-deb honours it).
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

stage=$art/stage
pkg_daemon=$stage/efd-daemon
pkg_dkms=$stage/efd-lkm-dkms
libdir=$pkg_daemon/usr/lib/efd-daemon
rm -rf "$stage"
mkdir -p "$libdir" "$pkg_dkms" "$out"

publish() {
	dotnet publish "$@" -c Release --artifacts-path "$art/build" -p:DebugType=none \
		-p:DebugSymbols=false -p:GenerateDocumentationFile=false -nologo -v:q -clp:ErrorsOnly
}

# --- .NET -------------------------------------------------------------------------------------
log "publishing efd-daemon $version (self-contained, ReadyToRun)"
publish "$root/src/EfdDaemon/EfdDaemon.csproj" -r linux-x64 --self-contained \
	-p:PublishReadyToRun=true -o "$libdir"

# No fallback: a self-contained efdctl would hide a NativeAOT regression (an AOT-unsafe dependency,
# a missing linker) behind a bigger, slower binary that needs the daemon's runtime beside it.
log "publishing efdctl (NativeAOT)"
if ! publish "$root/src/EfdCtl/EfdCtl.csproj" -r linux-x64 -p:PublishAot=true \
	-p:StripSymbols=true -o "$stage/efdctl-aot" >&2 || [ ! -x "$stage/efdctl-aot/efdctl" ]; then
	log "the NativeAOT publish of efdctl failed (see above; it needs clang or gcc, and zlib1g-dev)"
	exit 1
fi
install -D -m 0755 "$stage/efdctl-aot/efdctl" "$pkg_daemon/usr/sbin/efdctl"
rm -rf "$stage/efdctl-aot"

plugins=()
for proj in "$root"/src/plugins/*/*.csproj; do
	[ -e "$proj" ] || continue
	name=$(basename "$proj" .csproj)
	log "publishing plugin $name"
	publish "$proj" -o "$libdir/plugins/$name"
	# The contract is the host's (Private=false); a copy would split the IEventHandler type.
	rm -f "$libdir/plugins/$name/EfdDaemon.Abstractions.dll"
	plugins+=("$name")
done

mkdir -p "$pkg_daemon/usr/sbin"
ln -s ../lib/efd-daemon/efd-daemon "$pkg_daemon/usr/sbin/efd-daemon"
# Plugins must be root-owned and not group/world-writable (the daemon refuses others).
chmod -R go-w "$libdir"
find "$libdir" -type f \( -name '*.dll' -o -name '*.json' -o -name '*.so' -o -name '*.a' \) -exec chmod 0644 {} +
find "$libdir" -type f -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null || true
[ ! -e "$libdir/createdump" ] || chmod 0755 "$libdir/createdump"

# --- shared files -----------------------------------------------------------------------------
date_rfc=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
docs() { # PACKAGE-ROOT PACKAGE COPYRIGHT-FILE
	local doc=$1/usr/share/doc/$2
	mkdir -p "$doc"
	install -m 0644 "$3" "$doc/copyright"
	sed -e "s/@VERSION@/$version/g" -e "s/@DATE@/$date_rfc/g" "$deploy/debian/changelog.in" |
		gzip -9n >"$doc/changelog.gz"
}

control() { # PACKAGE-ROOT TEMPLATE
	local size
	size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
	mkdir -p "$1/DEBIAN"
	sed -e "s/@VERSION@/$version/g" -e "s/@SIZE@/$size/g" "$2" >"$1/DEBIAN/control"
	(cd "$1" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
		xargs -0r md5sum) >"$1/DEBIAN/md5sums"
	chmod 0644 "$1/DEBIAN/control" "$1/DEBIAN/md5sums"
}

maint() { # PACKAGE-ROOT SCRIPT-DIR
	local f
	for f in preinst postinst prerm postrm; do
		[ -e "$2/$f" ] || continue
		sed "s/@VERSION@/$version/g" "$2/$f" >"$1/DEBIAN/$f"
		chmod 0755 "$1/DEBIAN/$f"
	done
	[ ! -e "$2/conffiles" ] || install -m 0644 "$2/conffiles" "$1/DEBIAN/conffiles"
}

# --- efd-daemon_<ver>_amd64.deb ---------------------------------------------------------------
log "staging efd-daemon"
install -D -m 0644 "$deploy/systemd/efd-daemon.service" "$pkg_daemon/lib/systemd/system/efd-daemon.service"
install -D -m 0644 "$deploy/config/efd-daemon.json" "$pkg_daemon/etc/efd-daemon/efd-daemon.json"
install -D -m 0644 "$deploy/bash-completion/efdctl" "$pkg_daemon/usr/share/bash-completion/completions/efdctl"
mkdir -p "$pkg_daemon/etc/efd-daemon/conf.d"
for page in "$deploy"/man/*.[1-9]; do
	sect=${page##*.}
	mkdir -p "$pkg_daemon/usr/share/man/man$sect"
	sed "s/@VERSION@/$version/g" "$page" | gzip -9n >"$pkg_daemon/usr/share/man/man$sect/$(basename "$page").gz"
done
docs "$pkg_daemon" efd-daemon "$deploy/debian/copyright"
install -D -m 0644 "$deploy/debian/efd-daemon/lintian-overrides" \
	"$pkg_daemon/usr/share/lintian/overrides/efd-daemon"
install -m 0644 "$deploy/README.md" "$pkg_daemon/usr/share/doc/efd-daemon/README.md"
install -D -m 0644 -t "$pkg_daemon/usr/share/doc/efd-daemon/examples" "$deploy/config/examples/acpid.json"
mkdir -p "$pkg_daemon/DEBIAN"
maint "$pkg_daemon" "$deploy/debian/efd-daemon"
control "$pkg_daemon" "$deploy/debian/efd-daemon/control.in"

# --- efd-lkm-dkms_<ver>_all.deb ---------------------------------------------------------------
log "staging efd-lkm-dkms"
src=$pkg_dkms/usr/src/efd-lkm-$version
mkdir -p "$src"
# The module's sources only: no build products, not the userspace test programs in tests/.
(cd "$root/kernel" && find . -path ./tests -prune -o -type f \
	\( -name '*.[ch]' -o -name Kbuild -o -name Makefile -o -name dkms.conf \) -print0 |
	xargs -0r cp --parents -t "$src")
[ -e "$src/dkms.conf" ] || { log "kernel/dkms.conf is missing"; exit 1; }
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$version\"/" "$src/dkms.conf"
find "$src" -type d -exec chmod 0755 {} + && find "$src" -type f -exec chmod 0644 {} +
docs "$pkg_dkms" efd-lkm-dkms "$deploy/debian/copyright"
mkdir -p "$pkg_dkms/DEBIAN"
maint "$pkg_dkms" "$deploy/debian/efd-lkm-dkms"
control "$pkg_dkms" "$deploy/debian/efd-lkm-dkms/control.in"

# --- .debs ------------------------------------------------------------------------------------
rm -f "$out"/efd-daemon_*_amd64.deb "$out"/efd-lkm-dkms_*_all.deb
deb_daemon=$out/efd-daemon_${version}_amd64.deb
deb_dkms=$out/efd-lkm-dkms_${version}_all.deb
dpkg-deb --root-owner-group -Zxz -b "$pkg_daemon" "$deb_daemon" >&2
dpkg-deb --root-owner-group -Zxz -b "$pkg_dkms" "$deb_dkms" >&2
log "plugins: ${plugins[*]:-none}"
ls -l "$deb_daemon" "$deb_dkms" >&2

if [ -n "$run_lintian" ]; then
	rc=0
	for deb in "$deb_daemon" "$deb_dkms"; do
		log "lintian $(basename "$deb")"
		lintian --tag-display-limit 0 "$deb" >&2 || rc=$?
	done
	[ "$rc" -eq 0 ] || { log "lintian reported errors"; exit 1; }
fi
echo "$deb_daemon"
echo "$deb_dkms"
