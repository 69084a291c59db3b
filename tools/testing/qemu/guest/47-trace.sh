#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Trace events (include/trace/events/pagepool.h): events/pagepool/ in
# tracefs holds pagepool_alloc, pagepool_free and pagepool_zero while the
# module is loaded. With them enabled, one `pagepoolctl alloc 100` (which
# allocates, verifies and frees) leaves an alloc line at the offset the
# tool was told, with the pages it found not zero as dirty, and a free line
# of the same run; the background zeroer (bgzero=1) then zeroes that run
# again, in zero lines that add up to its 100 pages. An allocation that
# finds no room leaves an alloc line with result=-12. With pools=, the
# lines name the pool; a pool with bgzero=0 zeroes on allocation (dirty
# pages in the alloc line) and leaves no zero lines. The events are disabled and the buffer cleared at
# the end.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup trace "trace event tests"

EVENTS="pagepool_alloc pagepool_free pagepool_zero"

# tracefs: /sys/kernel/tracing, mounted here when it is not yet; else the
# copy debugfs shows.
TR=/sys/kernel/tracing
[ -e "$TR/trace" ] || mount -t tracefs nodev "$TR" 2>/dev/null
[ -e "$TR/trace" ] || TR=/sys/kernel/debug/tracing
if ! [ -e "$TR/trace" ]; then
	not_ok "trace event tests" "no tracefs (CONFIG_TRACING?)"
	finish
fi
EV=$TR/events/pagepool

# field LINE KEY: the value of KEY=VALUE in LINE (a trace line or
# pagepoolctl alloc's output).
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# lines EVENT [PATTERN]: the trace lines of EVENT, from its "pool=" on,
# that match the extended regular expression PATTERN.
lines() {
	sed -n "s/^.* $1: //p" "$TR/trace" | grep -E "${2:-.}"
}

# all_zeroed: every free page is known zero.
all_zeroed() { [ "$(info zeroed_pages)" = "$(info free_pages)" ]; }

# zero_pages_in POOL FIRST END: the pages of POOL's zero lines in pool
# pages [FIRST, END).
zero_pages_in() {
	lines pagepool_zero "^pool=$1 " |
		awk -v a="$2" -v e="$3" '{
			split($2, b, "="); split($3, p, "=")
			if (b[2] + 0 >= a + 0 && b[2] + 0 < e + 0) n += p[2]
		} END { print n + 0 }'
}

# zeroed_back POOL FIRST PAGES: POOL's zero lines cover PAGES pages from
# FIRST; for wait_for.
zeroed_back() { [ "$(zero_pages_in "$1" "$2" $(($2 + $3)))" = "$3" ]; }

# events_ok NAME: the three events are in tracefs, with the pool name as a
# char array field.
events_ok() {
	local _e _miss=

	for _e in $EVENTS; do
		[ -e "$EV/$_e/enable" ] && [ -e "$EV/$_e/format" ] ||
			_miss="$_miss $_e"
	done
	if [ -n "$_miss" ]; then
		not_ok "$1" "missing in $EV:$_miss"
	elif ! grep -q 'field:char pool\[33\];' "$EV/pagepool_alloc/format"; then
		not_ok "$1" "pagepool_alloc has no field char pool[33]"
	else
		ok "$1"
	fi
}

# trace_on / trace_off: the pagepool events enabled, on an empty buffer;
# disabled, the buffer emptied.
trace_on() {
	: >"$TR/trace"
	echo 1 >"$EV/enable"
	echo 1 >"$TR/tracing_on"
}
trace_off() {
	echo 0 >"$EV/enable"
	: >"$TR/trace"
}

# alloc_free_ok LABEL POOL BGZERO PCTL...: PCTL alloc 100 (a pagepoolctl
# with its options) and the alloc, free and (BGZERO 1) zero lines it leaves
# for POOL.
alloc_free_ok() {
	local _l=$1 _pool=$2 _bg=$3 _out _off _clean _line _dirty

	shift 3
	if ! _out=$("$@" alloc 100 2>&1); then
		not_ok "$_l: pagepoolctl alloc 100" "$(echo "$_out" | tail -n 1)"
		return
	fi
	ok "$_l: pagepoolctl alloc 100"
	_off=$(field "$_out" offset)
	_clean=$(field "$_out" clean_pages)

	_line=$(lines pagepool_alloc "^pool=$_pool base=$_off pages=100 .* result=0$")
	if [ "$(echo "$_line" | grep -c .)" != 1 ]; then
		not_ok "$_l: an alloc line: pool=$_pool base=$_off pages=100 result=0" \
			"$(lines pagepool_alloc | tr '\n' '|')"
	else
		ok "$_l: an alloc line: pool=$_pool base=$_off pages=100 result=0"
		note "  $_line"
		_dirty=$(field "$_line" dirty)
		if [ -z "$_clean" ] || [ "$_dirty" = $((100 - _clean)) ]; then
			ok "$_l: its dirty=$_dirty is 100 - clean_pages"
		else
			not_ok "$_l: its dirty is 100 - clean_pages" \
				"dirty=$_dirty, clean_pages=$_clean"
		fi
	fi

	_line=$(lines pagepool_free "^pool=$_pool base=$_off pages=100$")
	if [ "$(echo "$_line" | grep -c .)" = 1 ]; then
		ok "$_l: a free line of the same run"
		note "  $_line"
	else
		not_ok "$_l: a free line of the same run" \
			"$(lines pagepool_free | tr '\n' '|')"
	fi

	# Freed pages are dirty: the zeroer zeroes them (a delayed wake-up
	# for so few), in steps of at most 8 pages.
	if [ "$_bg" = 0 ]; then
		sleep 0.5
		if [ -z "$(lines pagepool_zero "^pool=$_pool ")" ]; then
			ok "$_l: no zero line (bgzero=0)"
		else
			not_ok "$_l: no zero line (bgzero=0)" \
				"$(lines pagepool_zero "^pool=$_pool " | head -n 1)"
		fi
		return
	fi
	if wait_for 10 zeroed_back "$_pool" "$_off" 100; then
		ok "$_l: zero lines cover the 100 freed pages"
		note "  $(lines pagepool_zero "^pool=$_pool " | head -n 1)"
	else
		not_ok "$_l: zero lines cover the 100 freed pages" \
			"$(zero_pages_in "$_pool" "$_off" $((_off + 100))) pages"
	fi
	if lines pagepool_zero "^pool=$_pool " |
	   awk '{ split($3, p, "="); if (p[2] < 1 || p[2] > 8) bad = 1 }
		END { exit bad }'; then
		ok "$_l: every zero line has 1 to 8 pages"
	else
		not_ok "$_l: every zero line has 1 to 8 pages" \
			"$(lines pagepool_zero | tr '\n' '|')"
	fi
}

# --- One pool: pagepool --------------------------------------------------

if insmod_ok size=32M; then
	events_ok "events/pagepool/{$(echo "$EVENTS" | tr ' ' ,)} exist"

	# The zeroing at load done, what the zeroer does next is the free's.
	wait_for 30 all_zeroed || note "zeroing at load not done"
	trace_on
	alloc_free_ok "pagepool" pagepool 1 pagepoolctl

	# No room: the second 5000-page buffer of a 8192-page pool.
	: >"$TR/trace"
	if pagepoolctl alloc 5000 --count 2 >"$T/out" 2>&1; then
		not_ok "a failed allocation" "two 5000-page buffers fit"
	else
		_line=$(lines pagepool_alloc \
			"^pool=pagepool base=0 pages=5000 align=0 dirty=0 result=-12$")
		if [ -n "$_line" ]; then
			ok "a failed allocation: an alloc line with result=-12"
			note "  $_line"
		else
			not_ok "a failed allocation: an alloc line with result=-12" \
				"$(lines pagepool_alloc | tr '\n' '|')"
		fi
	fi
	# More than the pool: the ioctl refuses it before allocating.
	: >"$TR/trace"
	pagepoolctl alloc 100000 >/dev/null 2>&1
	note "alloc 100000 (more than the pool): $(lines pagepool_alloc |
		grep -c .) alloc lines (refused before the pool is tried)"

	trace_off
	if [ "$(cat "$EV/enable")" = 0 ] &&
	   ! grep -qv '^#' "$TR/trace"; then
		ok "events disabled, trace buffer empty"
	else
		not_ok "events disabled, trace buffer empty" \
			"enable=$(cat "$EV/enable")"
	fi
	unload pagepool
	if [ -e "$EV" ]; then
		not_ok "events/pagepool gone after rmmod"
	else
		ok "events/pagepool gone after rmmod"
	fi
fi

# --- Two pools: the lines name the pool ----------------------------------

# pctl POOL ARGS...: pagepoolctl ARGS on pool POOL, named by its paths
# (pagepoolctl's defaults are pool pagepool's).
pctl() {
	local _p=$1

	shift
	pagepoolctl --dev "/dev/pagepool-$_p" \
		--heap-dev "/dev/dma_heap/pagepool-$_p" \
		--debugfs "/sys/kernel/debug/pagepool/$_p" "$@"
}

# pool_zeroed POOL: every free page of POOL is known zero.
pool_zeroed() {
	pctl "$1" info --raw >"$T/info" 2>&1 &&
		[ "$(sed -n 's/^zeroed_pages=//p' "$T/info")" = \
		  "$(sed -n 's/^free_pages=//p' "$T/info")" ]
}

# Pool a zeroes on allocation (every page of it dirty: dirty=100), pool b
# in the background.
if insmod_ok pools=a:32M:bgzero=0,b:16M; then
	events_ok "pools a, b: the events exist"
	wait_for 30 pool_zeroed b || note "pool b: zeroing at load not done"
	trace_on
	alloc_free_ok "pool a" a 0 pctl a
	alloc_free_ok "pool b" b 1 pctl b
	if [ "$(lines pagepool_alloc '^pool=a ' | grep -c .)" = 1 ] &&
	   [ "$(lines pagepool_alloc '^pool=b ' | grep -c .)" = 1 ]; then
		ok "pools a, b: one alloc line names each"
	else
		not_ok "pools a, b: one alloc line names each" \
			"$(lines pagepool_alloc | tr '\n' '|')"
	fi
	trace_off
	for p in a b; do
		run "pools a, b: debugfs check ok, pool $p whole" \
			pctl $p check --idle
	done
	rmmod_ok "pools a, b: rmmod"
fi

finish
