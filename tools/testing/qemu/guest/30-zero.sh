#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Zeroing: a pattern written into a buffer never reaches the next owner of
# its pages. pagepoolctl alloc maps every new buffer and fails (exit 7)
# unless it reads all zero; here the same pages are taken again (first fit
# puts them at the same offset) through both devices, with bgzero=0 (zeroed
# on allocation, clean_pages 0) and bgzero=1 (zeroed in the background,
# clean_pages all). Also: a mapping alone keeps a buffer alive.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

DBG=/sys/kernel/debug/pagepool
stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$DBG/stats"; }
# field OUTPUT KEY: the value of KEY=VALUE in pagepoolctl alloc's output.
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# alloc_check NAME WANT_OFFSET WANT_CLEAN ARGS...: pagepoolctl alloc ARGS
# succeeds (so the buffer read zero), at WANT_OFFSET with WANT_CLEAN clean
# pages ("-" for either: not checked).
alloc_check() {
	_name=$1
	_woff=$2
	_wclean=$3
	shift 3
	_out=$(pagepoolctl alloc "$@" 2>&1)
	_rc=$?
	_off=$(field "$_out" offset)
	_clean=$(field "$_out" clean_pages)
	if [ $_rc != 0 ]; then
		not_ok "$_name" "pagepoolctl alloc $*: $(echo "$_out" | tail -n 1) (exit $_rc)"
	elif [ "$_woff" != - ] && [ "$_off" != "$_woff" ]; then
		not_ok "$_name" "offset $_off, want $_woff"
	elif [ "$_wclean" != - ] && [ "$_clean" != "$_wclean" ]; then
		not_ok "$_name" "clean_pages $_clean, want $_wclean"
	else
		ok "$_name"
	fi
}

# all_zeroed: every free page is known zero.
all_zeroed() { [ "$(info zeroed_pages)" = "$(info free_pages)" ]; }

# zeroed_ok NAME SECONDS: test that all_zeroed comes true within SECONDS.
zeroed_ok() {
	if wait_for "$2" all_zeroed; then
		ok "$1"
	else
		not_ok "$1" "zeroed_pages $(info zeroed_pages) of $(info free_pages)"
	fi
}

setup zero "zeroing tests"

# bgzero=0: pages are zeroed when allocated; nothing is zero at load.
if insmod_ok size=16M bgzero=0; then
	if [ "$(info zeroed_pages)" = 0 ]; then
		ok "bgzero=0: no page known zero at load"
	else
		not_ok "bgzero=0: no page known zero at load" \
			"zeroed_pages $(info zeroed_pages)"
	fi
	alloc_check "bgzero=0: fill 64 pages with 0xa5" 0 0 64 --fill 0xa5
	alloc_check "bgzero=0: the same 64 pages again read zero" 0 0 64
	alloc_check "bgzero=0: heap: fill 64 pages with 0x5a" 0 - 64 --heap \
		--fill 0x5a
	alloc_check "bgzero=0: heap: the same pages again read zero" 0 - 64 \
		--heap
	alloc_check "bgzero=0: fill 32 pages with 0xff" 0 0 32 --fill 0xff
	alloc_check "bgzero=0: 100 pages over them read zero" 0 0 100
	alloc_check "bgzero=0: 10 buffers of 7 pages, filled, verified" 0 0 \
		7 --count 10 --fill 0x77
	alloc_check "bgzero=0: the same pages as one buffer read zero" 0 0 70
	if [ "$(stat_of bg_zeroed_pages)" = 0 ] &&
	   [ "$(stat_of alloc_zeroed_pages)" -ge 400 ]; then
		ok "bgzero=0: stats: all zeroing at allocation"
	else
		not_ok "bgzero=0: stats: all zeroing at allocation" \
			"bg_zeroed_pages $(stat_of bg_zeroed_pages), alloc_zeroed_pages $(stat_of alloc_zeroed_pages)"
	fi

	# A mapping alone keeps the buffer: the fd is closed while holding.
	pagepoolctl alloc 16 --fill 0x33 --map-only --hold 3 >"$T/hold" 2>&1 &
	holder=$!
	wait_for 10 holding "$T/hold"
	if [ "$(info allocations)" = 1 ] &&
	   [ "$(info free_pages)" = $((4096 - 16)) ]; then
		ok "a mapping without an fd keeps the buffer alive"
	else
		not_ok "a mapping without an fd keeps the buffer alive" \
			"allocations $(info allocations), free $(info free_pages)"
	fi
	wait $holder
	rc=$?
	if [ $rc = 0 ]; then
		ok "the mapping still held the pattern after the fd was closed"
	else
		not_ok "the mapping still held the pattern after the fd was closed" \
			"$(tail -n 1 "$T/hold") (exit $rc)"
	fi
	unload "bgzero=0"
fi

# bgzero=1: the worker zeroes free pages; allocations then find them clean.
if insmod_ok size=16M bgzero=1; then
	zeroed_ok "bgzero=1: the whole pool gets zeroed in the background" 120
	alloc_check "bgzero=1: 64 pages all clean, filled with 0xa5" 0 64 64 \
		--fill 0xa5
	zeroed_ok "bgzero=1: freed pages get zeroed again" 60
	alloc_check "bgzero=1: the same 64 pages again: clean and zero" 0 64 64
	alloc_check "bgzero=1: heap: fill 300 pages" - - 300 --heap --fill 0xc3
	# Straight away, racing the worker: must read zero whatever it did.
	alloc_check "bgzero=1: heap: 300 pages again at once read zero" - - \
		300 --heap
	wait_for 60 all_zeroed
	alloc_check "bgzero=1: the whole pool, filled with 0xee" 0 4096 4096 \
		--fill 0xee
	# At once, while the worker zeroes the freed pages: they never leave
	# the allocator, so the whole pool is there, and reads zero.
	note "right after the free: largest_free $(info largest_free), zeroed_pages $(info zeroed_pages)"
	pagepoolctl alloc 4096 >"$T/all" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		ok "bgzero=1: the whole pool again at once, reads zero"
	else
		not_ok "bgzero=1: the whole pool again at once, reads zero" \
			"$(tail -n 1 "$T/all") (exit $rc)"
	fi
	if [ "$(stat_of bg_zeroed_pages)" -ge 4096 ]; then
		ok "bgzero=1: stats count background zeroing"
	else
		not_ok "bgzero=1: stats count background zeroing" \
			"bg_zeroed_pages $(stat_of bg_zeroed_pages)"
	fi
	unload "bgzero=1"
fi

# Right after load, while the worker is still zeroing the new pool, every
# page is free (pool info says so), so the whole pool must be there for
# the asking: the worker must not make an allocation fail.
if insmod_ok size=128M bgzero=1; then
	note "free_pages $(info free_pages), largest_free $(info largest_free), zeroed_pages $(info zeroed_pages)"
	alloc_check "bgzero=1: the whole pool right after load" 0 - 32768
	unload "size=128M bgzero=1"
fi

finish
