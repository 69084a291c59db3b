#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kill -9 of processes holding buffers: fds and mappings, mappings alone,
# heap buffers, and a stress run with buffers in flight over unix sockets.
# Afterwards everything comes back: pool info free_pages == pages, no
# buffer alive, debugfs check ok; then rmmod works.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

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
	pagepool-test stress --procs 4 --ops 100000000 --seed "$2" \
		--timeout 600 >"$T/s" 2>&1 &
	p4=$!
	if wait_for 60 holding "$T/h1" "$T/h2" "$T/h3" &&
	   wait_for 30 at_least 16; then
		# Let stress get going, buffers in flight between processes.
		sleep 2
		note "$1: $(info allocations) buffers alive, $(info free_pages) of $(info pages) pages free"
		if [ "$(info allocations)" -gt 15 ]; then
			ok "$1: holders and stress have buffers"
		else
			not_ok "$1: holders and stress have buffers" \
				"only $(info allocations) buffers alive; stress: $(tail -n 1 "$T/s")"
		fi
	else
		not_ok "$1: holders and stress have buffers" \
			"holders: $(tail -q -n 1 "$T/h1" "$T/h2" "$T/h3" | tr '\n' ' ')"
	fi
	kill -9 $p1 $p2 $p3 $p4
	wait $p1 $p2 $p3 $p4 2>/dev/null
	# The stress processes die with their parent (PR_SET_PDEATHSIG).
	if wait_for 20 sh -c '! pidof pagepoolctl pagepool-test >/dev/null'; then
		ok "$1: every pagepoolctl and pagepool-test process is gone"
	else
		not_ok "$1: every pagepoolctl and pagepool-test process is gone" \
			"still running: $(pidof pagepoolctl pagepool-test)"
		kill -9 $(pidof pagepoolctl pagepool-test) 2>/dev/null
	fi
	if wait_for 20 idle; then
		ok "$1: all pages back, no buffer alive, debugfs check ok"
	else
		not_ok "$1: all pages back, no buffer alive, debugfs check ok" \
			"$(tail -n 1 "$T/check"); $(info free_pages) of $(info pages) free, $(info allocations) buffers"
	fi
}

setup kill "kill tests"

if insmod_ok size=64M; then
	one_round "kill -9, round 1" 11
	one_round "kill -9, round 2" 12
	if out=$(pagepoolctl alloc 16384 --fill 0x42 2>&1); then
		ok "the whole pool can be allocated again"
	else
		not_ok "the whole pool can be allocated again" \
			"$(echo "$out" | tail -n 1)"
	fi
	rmmod_ok "rmmod"
fi

finish
