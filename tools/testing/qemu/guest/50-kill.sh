#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kill -9 of processes holding buffers: fds and mappings, mappings alone,
# heap buffers, and a stress run with buffers in flight over unix sockets.
# Afterwards everything comes back: pool info free_pages == pages, no
# buffer alive, debugfs check ok; then rmmod works.

KO=/lib/modules/pagepool.ko
T=/tmp/pp-kill.$$
mkdir -p "$T"

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; }
note() { echo "# $*"; }
# memfree_kb: MemFree plus the free pages parked on per-CPU lists (which
# MemFree leaves out and which come and go), after dropping caches.
memfree_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { f = $2 } /^ *count:/ { c += $2 }
	     END { print f + c * 4 }' /proc/meminfo /proc/zoneinfo
}
klog() { dmesg -c >>"$T/klog"; }
info() { pagepoolctl info --raw 2>/dev/null | sed -n "s/^$1=//p"; }

# wait_for SECONDS CMD...: until CMD succeeds.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ $_n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

holding() { grep -q holding "$T/h1" && grep -q holding "$T/h2" &&
	    grep -q holding "$T/h3"; }
at_least() { [ "$(info allocations)" -ge "$1" ]; }
idle() { pagepoolctl check --idle >"$T/check" 2>&1; }

# one_round NAME: start holders and a stress run, kill -9 them all, check.
one_round() {
	pagepoolctl alloc 64 --count 8 --fill 0x5a --hold 600 >"$T/h1" 2>&1 &
	p1=$!
	pagepoolctl alloc 32 --count 4 --fill 0x11 --map-only --hold 600 \
		>"$T/h2" 2>&1 &
	p2=$!
	pagepoolctl alloc 100 --count 3 --heap --fill 0x01 --hold 600 \
		>"$T/h3" 2>&1 &
	p3=$!
	pagepoolctl stress --procs 4 --ops 100000000 --seed "$2" \
		--timeout 600 >"$T/s" 2>&1 &
	p4=$!
	if wait_for 60 holding && wait_for 30 at_least 16; then
		# Let stress get going, buffers in flight between processes.
		sleep 2
		note "$1: $(info allocations) buffers alive, $(info free_pages) of $(info pages) pages free"
		if [ "$(info allocations)" -gt 15 ]; then
			ok "$1: holders and stress have buffers"
		else
			not_ok "$1: holders and stress have buffers" \
				"only $(info allocations) buffers alive"
		fi
	else
		not_ok "$1: holders and stress have buffers" \
			"holders: $(tail -q -n 1 "$T/h1" "$T/h2" "$T/h3" | tr '\n' ' ')"
	fi
	kill -9 $p1 $p2 $p3 $p4
	wait $p1 $p2 $p3 $p4 2>/dev/null
	# The stress processes die with their parent (PR_SET_PDEATHSIG).
	if wait_for 20 sh -c '! pidof pagepoolctl >/dev/null'; then
		ok "$1: every pagepoolctl process is gone"
	else
		not_ok "$1: every pagepoolctl process is gone" \
			"still running: $(pidof pagepoolctl)"
		kill -9 $(pidof pagepoolctl) 2>/dev/null
	fi
	if wait_for 20 idle; then
		ok "$1: all pages back, no buffer alive, debugfs check ok"
	else
		not_ok "$1: all pages back, no buffer alive, debugfs check ok" \
			"$(tail -n 1 "$T/check"); $(info free_pages) of $(info pages) free, $(info allocations) buffers"
	fi
}

if ! command -v pagepoolctl >/dev/null || ! [ -e "$KO" ]; then
	not_ok "kill tests" "no pagepoolctl or $KO in the guest"
	exit 0
fi
[ -e /sys/module/pagepool ] && rmmod pagepool
start_mf=$(memfree_kb)
klog

if out=$(insmod "$KO" size=64M 2>&1); then
	ok "insmod size=64M"
	one_round "kill -9, round 1" 11
	one_round "kill -9, round 2" 12
	if out=$(pagepoolctl alloc 16384 --fill 0x42 2>&1); then
		ok "the whole pool can be allocated again"
	else
		not_ok "the whole pool can be allocated again" \
			"$(echo "$out" | tail -n 1)"
	fi
	if out=$(rmmod pagepool 2>&1); then
		ok "rmmod"
	else
		not_ok "rmmod" "$out"
	fi
else
	not_ok "insmod size=64M" "$out"
fi

now=$(memfree_kb)
if [ $((now + 2048 + start_mf / 100)) -ge "$start_mf" ]; then
	ok "MemFree back after rmmod ($start_mf -> $now kB)"
else
	not_ok "MemFree back after rmmod" "$start_mf -> $now kB"
fi
klog
if grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Call Trace' \
	"$T/klog" >"$T/bad"; then
	not_ok "no kernel warnings" "$(head -n 1 "$T/bad")"
else
	ok "no kernel warnings"
fi
rm -rf "$T"
exit 0
