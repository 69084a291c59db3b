# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # the callers read the globals
#
# Debian packages for the test scripts: install only what is missing, and
# quietly. Sourced by tools/testing/run-tests, kunit/run-kunit and
# tools/testing/qemu/run-guest; bash, and safe under set -eu.
#
# need_packages [--no-install] [--say FUNC] SPEC...
#   Each SPEC names a package and when it is needed:
#     CMD:PKG    when there is no command CMD in PATH
#     /PATH:PKG  when nothing exists at /PATH (a glob: when nothing matches)
#     PKG        always
#   The packages needed (each once, in order) are installed with
#   `apt-get update` (once per run, see packages_update) and `apt-get
#   install --no-install-recommends`, non-interactively, through sudo when
#   not root; apt-get's output goes to a log that is printed on stderr only
#   when it fails. Before installing it says "installing PKG..." through
#   FUNC (default: "PROG: TEXT" on stderr, PROG the script's name).
#   --no-install: install nothing, only say "PROG: missing packages:
#   PKG..." on stderr.
#   Sets missing_packages (an array) to the packages it found missing.
#   Returns 0 when nothing was missing, all of it was installed or
#   --no-install was given; else 1, with packages_error saying which
#   apt-get command failed (e.g. "apt-get install cpio failed").
#
# packages_update
#   `apt-get update`, only the first time it is called in a run (also by
#   need_packages), for scripts that then read the apt lists themselves
#   (apt-cache, apt-get download). packages_updated is 1 once it is done.
#   Returns 1 with packages_error set, after printing apt-get's output,
#   when it fails.
#
# packages_source SUITE
#   Print "URI KEYRING" for the first enabled binary (deb) source in the
#   host's apt sources that names SUITE: /etc/apt/sources.list and
#   /etc/apt/sources.list.d/*.list (one-line style) and *.sources (deb822
#   style). KEYRING is its signed-by file, or empty. Prints nothing when
#   no source names SUITE. E.g. "packages_source bookworm" gives the
#   host's Debian mirror.

missing_packages=()
packages_updated=0
packages_error=

packages_say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# packages_exists GLOB: something exists at a path GLOB matches ([ -e ]:
# a dangling symlink does not count).
packages_exists() {
	local f

	while IFS= read -r f; do
		[ -e "$f" ] && return 0
	done < <(compgen -G "$1")
	return 1
}

# packages_apt ARGS...: apt-get ARGS as root, non-interactive, its output
# in a log that is printed on stderr when apt-get fails. Waits up to ten
# minutes for another apt-get or dpkg to finish.
packages_apt() {
	local sudo='' log rc=0

	[ "$(id -u)" = 0 ] || sudo=sudo
	log=$(mktemp "${TMPDIR:-/tmp}/pagepool-apt.XXXXXX") || return 1
	# env after sudo: sudo would drop DEBIAN_FRONTEND from the environment.
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get -q \
		-o DPkg::Lock::Timeout=600 "$@" >"$log" 2>&1 || rc=$?
	[ $rc = 0 ] || cat "$log" >&2
	rm -f "$log"
	return $rc
}

packages_update() {
	[ "$packages_updated" = 0 ] || return 0
	if ! packages_apt update; then
		packages_error="apt-get update failed"
		return 1
	fi
	packages_updated=1
}

need_packages() {
	local install=1 say=packages_say spec what pkg

	missing_packages=()
	packages_error=
	while [ $# -gt 0 ]; do
		case $1 in
		--no-install) install=0 ;;
		--say) say=$2; shift ;;
		*) break ;;
		esac
		shift
	done
	for spec in "$@"; do
		what=
		pkg=$spec
		case $spec in *:*) what=${spec%%:*}; pkg=${spec#*:} ;; esac
		case $what in
		'') ;;
		/*) ! packages_exists "$what" || continue ;;
		*) ! command -v "$what" >/dev/null 2>&1 || continue ;;
		esac
		case " ${missing_packages[*]} " in *" $pkg "*) continue ;; esac
		missing_packages+=("$pkg")
	done
	[ ${#missing_packages[@]} -gt 0 ] || return 0
	if [ $install = 0 ]; then
		packages_say "missing packages: ${missing_packages[*]}"
		return 0
	fi
	"$say" "installing ${missing_packages[*]}"
	packages_update || return 1
	if ! packages_apt install -y --no-install-recommends \
			"${missing_packages[@]}"; then
		packages_error="apt-get install ${missing_packages[*]} failed"
		return 1
	fi
}

packages_source() {
	local f

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v s="$1" '$1 == "deb" {
			i = 2; key = ""
			if ($i ~ /^\[/) {
				for (; i <= NF; i++) {
					o = $i; sub(/^\[/, "", o); sub(/\]$/, "", o)
					if (o ~ /^signed-by=/) key = substr(o, 11)
					if ($i ~ /\]$/) break
				}
				i++
			}
			if ($(i + 1) == s) print $i, key
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$1" 'BEGIN { RS = ""; FS = "\n" } {
			uri = ""; key = ""; deb = 0; ok = 0; on = 1
			for (i = 1; i <= NF; i++) {
				l = $i
				if (l ~ /^#/ || l !~ /:/) continue
				name = tolower(substr(l, 1, index(l, ":") - 1))
				v = substr(l, index(l, ":") + 1)
				n = split(v, w, /[ \t]+/)
				for (k = 1; k <= n; k++) {
					if (w[k] == "") continue
					if (name == "types") deb = deb || w[k] == "deb"
					else if (name == "uris" && uri == "") uri = w[k]
					else if (name == "suites") ok = ok || w[k] == s
					else if (name == "signed-by" && key == "" &&
					    w[k] ~ /^\//) key = w[k]
					else if (name == "enabled") on = w[k] != "no"
				}
			}
			if (deb && ok && on && uri != "") print uri, key
		}' "$f"
	done 2>/dev/null | head -n 1
}
