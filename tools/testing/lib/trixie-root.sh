# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # the callers read the globals
# shellcheck disable=SC2154 # packages_error: set by packages.sh
#
# The Debian 13 (trixie) build root. Trixie's kernels, and the newest ones
# in trixie-backports, are built with gcc 14, and their headers pass flags
# (-fmin-function-alignment) that bookworm's gcc 12 rejects: pagepool.ko
# is built for them inside a minimal trixie root made with debootstrap from
# Debian's packages. The root is kept in the cache, outside the checkout:
# its apt lists are refreshed once a day, and it is made anew when it is
# incomplete or more than 30 days old. Its apt sources are trixie,
# trixie-updates, trixie-security and trixie-backports, so that the kernels
# tested move forward with Debian without an edit here.
#
# Sourced by tools/testing/run-tests, tools/testing/build-module and
# tools/testing/qemu/run-guest, after tools/testing/lib/packages.sh; bash,
# and safe under set -eu. Needs root (debootstrap, chroot). The root lives
# in $PAGEPOOL_CACHE/trixie-root (default ~/.cache/pagepool).
#
# trixie_root
#   Make or refresh the root; sets trixie_root to its path. Serialised
#   with a lock in the cache.
# trixie_abi SUITE
#   Print the ABI name (e.g. 7.3.4+deb13-amd64) of the amd64 kernel that
#   SUITE's linux-headers-amd64 points to: trixie (with its updates and
#   security fixes) or trixie-backports (the newest kernel Debian ships).
# trixie_headers ABI
#   Install linux-headers-ABI in the root (once); prints the headers'
#   directory inside the root (/usr/src/linux-headers-ABI).
# trixie_download DIR PKG...
#   apt-get download PKG... from the root's sources into DIR on the host.
# trixie_has PKG
#   True when the root's apt lists offer PKG.
# trixie_chroot CMD...
#   Run CMD in the root, with /proc mounted (objtool reads it) for as long
#   as it runs.
#
# Each returns 1 with trixie_error set when something fails.

trixie_root=
trixie_error=
# What kbuild needs to build an out-of-tree module, and kmod for modinfo.
trixie_packages=gcc-14,make,libc6-dev,bc,bison,flex,libelf-dev,kmod,dwarves,xz-utils

# trixie_host_uri SUITE: the first URI the host's apt sources (one-line or
# deb822 style) give for SUITE, e.g. the Debian mirror for bookworm.
trixie_host_uri() {
	local src

	src=$(packages_source "$1")
	echo "${src%% *}"
}

# trixie_mirrors: the Debian archive and security mirrors, the host's own
# for bookworm unless PAGEPOOL_DEBIAN_MIRROR / _SECURITY say otherwise.
trixie_mirrors() {
	trixie_mirror=${PAGEPOOL_DEBIAN_MIRROR:-$(trixie_host_uri bookworm)}
	trixie_security=${PAGEPOOL_DEBIAN_SECURITY:-$(trixie_host_uri bookworm-security)}
	if [ -z "$trixie_mirror" ] || [ -z "$trixie_security" ]; then
		trixie_error="no Debian mirror for bookworm and bookworm-security in the apt sources (set PAGEPOOL_DEBIAN_MIRROR and PAGEPOOL_DEBIAN_SECURITY)"
		return 1
	fi
}

# trixie_fresh FILE DAYS: FILE exists and is younger than DAYS days.
trixie_fresh() {
	[ -n "$(find "$1" -maxdepth 0 -mtime "-$2" 2>/dev/null)" ]
}

# trixie_apt ARGS...: apt-get in the root, quiet unless it fails.
trixie_apt() {
	local log rc=0

	log=$(mktemp "${TMPDIR:-/tmp}/pagepool-trixie-apt.XXXXXX") || return 1
	chroot "$trixie_root" env DEBIAN_FRONTEND=noninteractive apt-get -q \
		-o APT::Sandbox::User=root "$@" >"$log" 2>&1 || rc=$?
	[ "$rc" = 0 ] || cat "$log" >&2
	rm -f "$log"
	return "$rc"
}

# trixie_make DIR: debootstrap a new root into DIR.
trixie_make() {
	local dir=$1 log

	trixie_mirrors || return 1
	packages_say "making a Debian 13 build root in $dir (debootstrap)"
	# Nothing may stay mounted in a tree about to be removed.
	! mountpoint -q "$dir/proc" || umount "$dir/proc" || return 1
	rm -rf "$dir.tmp"
	log=$(mktemp "${TMPDIR:-/tmp}/pagepool-debootstrap.XXXXXX") || return 1
	if ! debootstrap --variant=minbase --include="$trixie_packages" \
		trixie "$dir.tmp" "$trixie_mirror" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		trixie_error="debootstrap of trixie failed"
		return 1
	fi
	rm -f "$log"
	cat >"$dir.tmp/etc/apt/sources.list" <<EOF
deb $trixie_mirror trixie main
deb $trixie_mirror trixie-updates main
deb $trixie_security trixie-security main
deb $trixie_mirror trixie-backports main
EOF
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
	date >"$dir/.pagepool-made"
}

trixie_root() {
	local dir=${PAGEPOOL_CACHE:-${HOME:-/root}/.cache/pagepool}/trixie-root

	trixie_error=
	need_packages --say packages_say debootstrap:debootstrap ||
		{ trixie_error=$packages_error; return 1; }
	mkdir -p "$(dirname "$dir")"
	exec 8>"$dir.lock"
	flock 8
	if ! trixie_fresh "$dir/.pagepool-made" 30 ||
	   [ ! -x "$dir/usr/bin/gcc-14" ]; then
		trixie_make "$dir" || { exec 8>&-; return 1; }
	fi
	trixie_root=$dir
	if ! trixie_fresh "$dir/.pagepool-updated" 1; then
		if ! trixie_apt update; then
			exec 8>&-
			trixie_error="apt-get update in the trixie root failed"
			return 1
		fi
		touch "$dir/.pagepool-updated"
	fi
	exec 8>&-
}

trixie_abi() {
	local pkg=linux-headers-amd64 abi

	case $1 in
	trixie) ;;
	trixie-backports) pkg=$pkg/trixie-backports ;;
	*) trixie_error="trixie_abi: unknown suite $1"; return 1 ;;
	esac
	abi=$(chroot "$trixie_root" apt-cache depends "$pkg" 2>/dev/null |
	      sed -n 's/^ *Depends: linux-headers-\([0-9].*-amd64\)$/\1/p' |
	      head -n 1)
	if [ -z "$abi" ]; then
		trixie_error="no amd64 kernel headers in $1"
		return 1
	fi
	echo "$abi"
}

trixie_has() {
	chroot "$trixie_root" apt-cache policy "$1" 2>/dev/null |
		grep -q '^  Candidate: [^(]'
}

trixie_headers() {
	local dir=/usr/src/linux-headers-$1

	if [ ! -f "$trixie_root$dir/Module.symvers" ]; then
		packages_say "installing linux-headers-$1 in the trixie root"
		exec 8>"$trixie_root.lock"
		flock 8
		trixie_apt install -y --no-install-recommends \
			"linux-headers-$1" ||
			trixie_error="apt-get install linux-headers-$1 failed"
		exec 8>&-
		[ -f "$trixie_root$dir/Module.symvers" ] || {
			trixie_error=${trixie_error:-"no $dir in the trixie root"}
			return 1
		}
	fi
	echo "$dir"
}

trixie_download() {
	local dir=$1 tmp

	shift
	tmp=$(mktemp -d "$trixie_root/tmp/download.XXXXXX") || return 1
	if ! trixie_chroot sh -c "cd '${tmp#"$trixie_root"}' &&
			apt-get -q -o APT::Sandbox::User=root download $*" \
			>"$tmp.log" 2>&1; then
		cat "$tmp.log" >&2
		rm -rf "$tmp" "$tmp.log"
		trixie_error="apt-get download $* failed"
		return 1
	fi
	mkdir -p "$dir"
	mv "$tmp"/*.deb "$dir/"
	rm -rf "$tmp" "$tmp.log"
}

# One chroot at a time per root: each mounts /proc for itself and takes
# it away again.
trixie_chroot() {
	local rc=0

	exec 7>"$trixie_root.chroot.lock"
	flock 7
	if ! mountpoint -q "$trixie_root/proc" &&
	   ! mount -t proc proc "$trixie_root/proc"; then
		exec 7>&-
		trixie_error="cannot mount /proc in the trixie root"
		return 1
	fi
	chroot "$trixie_root" "$@" || rc=$?
	umount "$trixie_root/proc" || true
	exec 7>&-
	return "$rc"
}
