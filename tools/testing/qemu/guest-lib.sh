# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: POSIX sh plus local, like dash
#
# Helpers shared by the guest test scripts (tools/testing/qemu/guest/*.sh,
# guest-memmap/*.sh). run-guest puts this file in every initramfs as
# /lib/pagepool-tests.sh; a script starts with
#
#	. /lib/pagepool-tests.sh
#
# It runs under busybox sh (ash): POSIX sh plus `local`. The helpers keep
# their own variables local, with a leading underscore, so that they do
# not clobber the caller's; the globals they use or set are listed below.
#
# Results are TAP-like lines that run-guest counts: "ok - NAME" or
# "not ok - NAME: reason"; lines starting with "#" are comments.
#
# Globals:
#   KO        the module, /lib/modules/pagepool.ko (not loaded at boot)
#   T         the script's scratch directory, made by setup, removed at
#             exit; klog collects the kernel log in $T/klog
#   start_mf  memfree_kb when setup ran, for the check in finish
#   kasan_kernel  1 on a KASAN kernel, set by memfree_slack_kb
#
# A script that loads the module itself is built as
#
#	. /lib/pagepool-tests.sh
#	setup NAME "WHAT tests"
#	... tests, each ending with the module unloaded ...
#	finish

KO=/lib/modules/pagepool.ko

# --- Results ---------------------------------------------------------------

# ok NAME: a passed test.
ok() { echo "ok - $1"; }

# not_ok NAME [REASON]: a failed test, "not ok - NAME: REASON" (without a
# REASON argument just "not ok - NAME").
not_ok() { echo "not ok - $1${2+: $2}"; }

# note TEXT...: a comment line.
note() { echo "# $*"; }

# run NAME CMD...: ok when CMD exits 0; else not ok with CMD's last line of
# output and its exit status, and its last 5 lines as comments. Returns
# CMD's status.
run() {
	local _name="$1" _out _rc

	shift
	_out=$("$@" 2>&1)
	_rc=$?
	if [ $_rc = 0 ]; then
		ok "$_name"
	else
		not_ok "$_name" "$(echo "$_out" | tail -n 1) (exit $_rc)"
		echo "$_out" | tail -n 5 | sed 's/^/#   /'
	fi
	return $_rc
}

# param NAME DEFAULT: the value of pagepool.NAME=VALUE on the kernel
# command line (the last one given), or DEFAULT when there is none.
param() {
	_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^pagepool\.$1=//p" |
		tail -n 1)
	echo "${_v:-$2}"
}

# --- Waiting ----------------------------------------------------------------

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds (true), or
# until SECONDS have passed and a last try failed (false).
wait_for() {
	local _left=$(($1 * 10))

	shift
	until "$@"; do
		[ "$_left" -gt 0 ] || return 1
		sleep 0.1
		_left=$((_left - 1))
	done
}

# holding FILE...: each FILE (the output of a `pagepoolctl alloc ... --hold`
# or `pagepool-test replay --hold` running in the background) says it is
# holding its buffers. For `wait_for SECONDS holding FILE...`.
holding() {
	local _f

	for _f in "$@"; do
		grep -q holding "$_f" || return 1
	done
}

# --- The pool ---------------------------------------------------------------

# info KEY: KEY's value in `pagepoolctl info --raw` (empty when the module
# is not loaded).
info() { pagepoolctl info --raw 2>/dev/null | sed -n "s/^$1=//p"; }

# info_is KEY VALUE: pool info KEY is VALUE; for wait_for.
info_is() { [ "$(info "$1")" = "$2" ]; }

# insmod_ok ARGS...: test "insmod ARGS" (pagepool.ko with ARGS): ok, or not
# ok with insmod's complaint. Returns insmod's status.
insmod_ok() {
	local _out

	if _out=$(insmod "$KO" "$@" 2>&1); then
		ok "insmod $*"
	else
		not_ok "insmod $*" "$_out"
		return 1
	fi
}

# rmmod_ok NAME: test that rmmod pagepool works: ok NAME, or not ok with
# rmmod's complaint. Returns rmmod's status.
rmmod_ok() {
	local _out

	if _out=$(rmmod pagepool 2>&1); then
		ok "$1"
	else
		not_ok "$1" "$_out"
		return 1
	fi
}

# unload [NAME]: the end of a loaded pool's tests: "NAME: debugfs check ok,
# pool whole" (pagepoolctl check --idle: every page free, no buffer alive,
# the allocator consistent), then "NAME: rmmod". Without NAME, the tests
# are just "debugfs check ok, pool whole" and "rmmod".
unload() {
	local _p=${1:+$1: }

	run "${_p}debugfs check ok, pool whole" pagepoolctl check --idle
	rmmod_ok "${_p}rmmod"
}

# expect_fail NAME ERRTEXT ARGS...: insmod of pagepool.ko with ARGS fails,
# saying ERRTEXT (busybox insmod prints strerror), the kernel log has a
# pagepool line saying why (shown as a comment), the module is not left
# behind and MemFree does not drop (memfree_within).
expect_fail() {
	local _name="$1" _want="$2" _mf _out _log _now

	shift 2
	_mf=$(memfree_kb)
	klog >/dev/null
	if _out=$(insmod "$KO" "$@" 2>&1); then
		not_ok "$_name" "insmod $* succeeded"
		rmmod pagepool
		return
	fi
	_log=$(klog | grep -i pagepool | tail -n 1)
	_now=$(memfree_kb)
	case $_out in
	*"$_want"*) ;;
	*)
		not_ok "$_name" "insmod $*: want '$_want', got '$_out'"
		return ;;
	esac
	if [ -e /sys/module/pagepool ]; then
		not_ok "$_name" "the module is still listed in /sys/module"
	elif [ -z "$_log" ]; then
		not_ok "$_name" "no pagepool message in the kernel log"
	elif ! memfree_within "$_mf" "$_now"; then
		not_ok "$_name" "MemFree $_mf -> $_now kB: memory kept"
	else
		ok "$_name"
		note "  $_log"
	fi
}

# guest_bin NAME: the path of a program put in the guest as /bin/NAME or
# (run-guest --files) /files/NAME; nothing when it is in neither.
guest_bin() {
	local _b

	for _b in "/bin/$1" "/files/$1"; do
		if [ -x "$_b" ]; then
			echo "$_b"
			return 0
		fi
	done
}

# --- Memory -----------------------------------------------------------------

# memfree_kb: MemFree plus the free pages parked on per-CPU lists (which
# MemFree leaves out and which come and go), after dropping caches.
memfree_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { f = $2 } /^ *count:/ { c += $2 }
	     END { print f + c * 4 }' /proc/meminfo /proc/zoneinfo
}

# memfree_slack_kb BEFORE_KB: how far MemFree may drop while the rest of
# the kernel takes memory meanwhile: 2 MiB + 1%. A KASAN kernel (the debug
# kernel) keeps freed objects in a quarantine of up to 1/32 of memory
# before their pages come back, so there the slack has room for it too;
# on that kernel kmemleak is what finds leaked objects (tools/testing/
# qemu/init), and the production kernels keep the tight check.
memfree_slack_kb() {
	local _slack=$((2048 + $1 / 100))

	if [ -z "${kasan_kernel-}" ]; then
		kasan_kernel=0
		if [ -e /proc/config.gz ] &&
		   zcat /proc/config.gz | grep -q '^CONFIG_KASAN=y$'; then
			kasan_kernel=1
		fi
	fi
	[ "$kasan_kernel" = 0 ] ||
		_slack=$((_slack + $(awk '/^MemTotal:/ { print $2 }' \
				     /proc/meminfo) / 32))
	echo "$_slack"
}

# memfree_within BEFORE_KB NOW_KB: NOW is at most memfree_slack_kb below
# BEFORE.
memfree_within() { [ $(($2 + $(memfree_slack_kb "$1"))) -ge "$1" ]; }

# memfree_back NAME BEFORE_KB [LABEL]: test that memfree_kb is back to
# BEFORE_KB (memfree_within). The ok line is "NAME (LABELBEFORE -> NOW kB)",
# LABEL "MemFree " unless given (finish gives "").
memfree_back() {
	local _now _tol

	_now=$(memfree_kb)
	_tol=$(memfree_slack_kb "$2")
	if memfree_within "$2" "$_now"; then
		ok "$1 (${3-MemFree }$2 -> $_now kB)"
	else
		not_ok "$1" "MemFree $2 kB before, $_now kB now (tolerance $_tol kB)"
	fi
}

# --- The kernel log ---------------------------------------------------------

# klog: print the kernel messages since the last call (dmesg -c) and add
# them to $T/klog, for no_kernel_warnings.
klog() { dmesg -c | tee -a "$T/klog"; }

# no_kernel_warnings: test that nothing in the kernel log since setup (all
# that klog collected, and what is new) is a warning, BUG, oops or
# sanitizer report, or a complaint of x86 PAT (two memory types for one
# page: write-combined buffers must never cause one). A "traps:" line is a
# user program's fault that the kernel logs (a probe of the fuzzer's, say),
# not a kernel report.
no_kernel_warnings() {
	klog >/dev/null
	if grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Call Trace|x86/PAT:' \
		"$T/klog" | grep -v -e ' traps: ' -e 'x86/PAT: Configuration' \
		>"$T/bad"; then
		not_ok "no kernel warnings" "$(head -n 1 "$T/bad")"
	else
		ok "no kernel warnings"
	fi
}

# --- Start and end of a script ----------------------------------------------

# setup NAME WHAT: the start of a script that loads pagepool.ko itself:
#   - $T=/tmp/pp-NAME.PID, removed when the script exits;
#   - "not ok - WHAT" and exit 0 when the guest has no pagepoolctl, no
#     pagepool-test or no module (nothing else could pass);
#   - a pagepool left loaded by an earlier script is unloaded;
#   - start_mf is memfree_kb now, and the kernel log so far goes to
#     $T/klog (for no_kernel_warnings).
setup() {
	T=/tmp/pp-$1.$$
	mkdir -p "$T"
	trap 'rm -rf "$T"' EXIT
	if ! command -v pagepoolctl >/dev/null ||
	   ! command -v pagepool-test >/dev/null || ! [ -e "$KO" ]; then
		not_ok "$2" "no pagepoolctl, pagepool-test or $KO in the guest"
		exit 0
	fi
	if [ -e /sys/module/pagepool ]; then
		note "pagepool was left loaded; unloading it"
		rmmod pagepool
	fi
	start_mf=$(memfree_kb)
	klog >/dev/null
}

# finish: the end of a script that began with setup, with the module
# unloaded: "MemFree back after rmmod (START -> NOW kB)" and "no kernel
# warnings"; then exit 0 (run-guest counts a non-zero exit as a failure).
finish() {
	memfree_back "MemFree back after rmmod" "$start_mf" ""
	no_kernel_warnings
	exit 0
}
