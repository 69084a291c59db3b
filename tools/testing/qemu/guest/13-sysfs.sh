#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/pagepool/NAME/, the pools' figures as a stable ABI
# (Documentation/ABI/testing/sysfs-kernel-pagepool): one directory per
# pool with the documented files and modes (phys_base root only), each one
# number and a newline; size, pages, node and phys_base as loaded (the
# kernel log's load line); the figures that change agree with
# `pagepoolctl info --raw` and debugfs stats, idle, while a buffer is
# held and after a refused allocation; reads racing rmmod are safe; the
# directory goes with the pool, on rmmod and on a failed load.
#
# Run by tools/testing/qemu/run-guest; prints "ok - NAME" or
# "not ok - NAME: reason" lines.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

SYS=/sys/kernel/pagepool
FILES="size node pages phys_base free_pages zeroed_pages largest_free \
buffers allocations failures user_pages"

# pool_opts POOL: pagepoolctl's options naming the pool's device, heap
# device and debugfs directory, all of them, so that pagepoolctl chooses
# no pool by default (with or without its --pool).
pool_opts() {
	if [ "$1" = pagepool ]; then
		echo --dev /dev/pagepool --heap-dev /dev/dma_heap/pagepool \
			--debugfs /sys/kernel/debug/pagepool
	else
		echo --dev "/dev/pagepool-$1" \
			--heap-dev "/dev/dma_heap/pagepool-$1" \
			--debugfs "/sys/kernel/debug/pagepool/$1"
	fi
}

# pctl POOL ARGS...: pagepoolctl ARGS on the pool.
pctl() {
	local _p=$1

	shift
	# shellcheck disable=SC2046 # the options are words without spaces
	pagepoolctl $(pool_opts "$_p") "$@"
}

# sys POOL FILE: the value in /sys/kernel/pagepool/POOL/FILE.
sys() { cat "$SYS/$1/$2" 2>/dev/null; }

# sys_is POOL FILE VALUE: for wait_for.
sys_is() { [ "$(sys "$1" "$2")" = "$3" ]; }

# ctl POOL KEY: KEY of `pagepoolctl info --raw` on the pool's device.
ctl() {
	pctl "$1" info --raw 2>/dev/null | sed -n "s/^$2=//p"
}

# dbg POOL KEY: KEY of the pool's debugfs stats.
dbg() { sed -n "s/^$2 //p" "/sys/kernel/debug/pagepool/$1/stats"; }

# quiet POOL: its zeroer is done, every free page known zero (or, for the
# pools listed in NOZERO, it has none): its figures then hold still while
# nothing is allocated or freed.
NOZERO="b"
# shellcheck disable=SC2317 # called through wait_for
quiet() {
	case " $NOZERO " in
	*" $1 "*) return 0 ;;
	esac
	[ "$(sys "$1" zeroed_pages)" = "$(sys "$1" free_pages)" ]
}

# agree NAME POOL: test that each figure that changes reads the same in
# sysfs as in pagepoolctl info --raw and debugfs stats, once the pool is
# quiet. The figures are shown as a comment.
agree() {
	local _p=$2 _bad='' _f _s _c _d

	wait_for 20 quiet "$_p" || note "  $_p: the zeroer did not finish"
	for _f in free_pages zeroed_pages largest_free buffers allocations \
		  failures; do
		_s=$(sys "$_p" $_f)
		case $_f in
		largest_free) _c=$(ctl "$_p" largest_free)
			_d=$(dbg "$_p" largest_free_pages) ;;
		buffers) _c=$(ctl "$_p" allocations)
			_d=$(dbg "$_p" allocations_alive) ;;
		allocations|failures) _c=$_s
			_d=$(dbg "$_p" $_f) ;;
		*) _c=$(ctl "$_p" $_f)
			_d=$(dbg "$_p" $_f) ;;
		esac
		[ -n "$_s" ] && [ "$_s" = "$_c" ] && [ "$_s" = "$_d" ] ||
			_bad="$_bad $_f: sysfs '$_s' info '$_c' debugfs '$_d';"
	done
	if [ -z "$_bad" ]; then
		ok "$1"
	else
		not_ok "$1" "$_bad"
	fi
	_s="  $_p:"
	for _f in free_pages zeroed_pages largest_free buffers allocations \
		  failures; do
		_s="$_s $_f $(sys "$_p" $_f)"
	done
	note "$_s"
}

# expect NAME POOL FILE=VALUE...: test that each FILE of the pool reads
# VALUE.
expect() {
	local _name=$1 _p=$2 _bad='' _kv

	shift 2
	for _kv in "$@"; do
		sys_is "$_p" "${_kv%%=*}" "${_kv#*=}" ||
			_bad="$_bad ${_kv%%=*} '$(sys "$_p" "${_kv%%=*}")', want ${_kv#*=};"
	done
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name" "$_bad"
	fi
}

# layout POOL: test that the pool's directory has exactly the documented
# files, with their modes, each one line: a decimal number, phys_base a
# 0x-prefixed hexadecimal one.
layout() {
	local _p=$1 _bad='' _f _want _mode _re _got

	_got=$(cd "$SYS/$_p" && echo *)
	_want=$(echo "$FILES" | tr ' ' '\n' | sort | tr '\n' ' ')
	_want=${_want% }
	[ "$_got" = "$_want" ] || _bad=" files: '$_got', want '$_want';"
	for _f in $FILES; do
		_want=-r--r--r--
		_re='[0-9]+'
		if [ "$_f" = phys_base ]; then
			_want=-r--------
			_re='0x[0-9a-f]+'
		fi
		_mode=$(stat -c %A "$SYS/$_p/$_f" 2>&1)
		[ "$_mode" = $_want ] || _bad="$_bad $_f: mode $_mode;"
		if ! grep -qxE "$_re" "$SYS/$_p/$_f" ||
		   [ "$(wc -l <"$SYS/$_p/$_f")" != 1 ]; then
			_bad="$_bad $_f: '$(od -c "$SYS/$_p/$_f" | head -n 2)';"
		fi
	done
	if [ -z "$_bad" ]; then
		ok "$_p: 11 files, phys_base -r--------, others -r--r--r--, one number each"
	else
		not_ok "$_p: files, modes and format" "$_bad"
	fi
}

# load_node POOL LOG: the node POOL's load line in LOG names (a pool
# without node= is on the loading CPU's node, which may be either on a
# guest of two nodes).
load_node() {
	sed -n "s/.*pagepool: $1: .* (allocated, node \([0-9]*\)).*/\1/p" \
		"$2" | tail -n 1
}

# phys_matches POOL MIB LOG: test that the pool's phys_base is the address
# its load line in LOG ("pagepool: POOL: MIB MiB at 0x... (allocated,
# node N)") gives.
phys_matches() {
	local _p=$1 _log _s _n _re

	_n=$(sys "$_p" node)
	_re="s/.*pagepool: $_p: $2 MiB at \(0x[0-9a-f]*\)"
	_log=$(sed -n "$_re (allocated, node $_n).*/\1/p" "$3" | tail -n 1)
	_s=$(sys "$_p" phys_base)
	if [ -z "$_log" ]; then
		not_ok "$_p: phys_base is the load line's" \
			"no load line: $(grep "$_p:" "$3" | tail -n 1)"
	elif [ -n "$_s" ] && [ $((_s)) = $((_log)) ] &&
	     [ $((_s % 4096)) = 0 ]; then
		ok "$_p: phys_base $_s is the load line's ($_log)"
	else
		not_ok "$_p: phys_base is the load line's" \
			"sysfs '$_s', kernel log $_log"
	fi
}

# check_idle POOL: pagepoolctl check --idle on the pool (every page free,
# no buffer alive, debugfs check ok).
check_idle() {
	run "$1: debugfs check ok, pool whole" pctl "$1" check --idle
}

# gone NAME: test that /sys/kernel/pagepool is gone.
gone() {
	if [ -e $SYS ]; then
		not_ok "$1" "$(find $SYS | head -n 5 | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

setup sysfs "sysfs tests"

grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null ||
	echo 'nogroup:x:65534:' >>/etc/group

# --- Two pools -------------------------------------------------------------

if insmod_ok pools=a:32M,b:16M:bgzero=0; then
	klog >"$T/load"
	got=$(cd $SYS && echo *)
	if [ "$got" = "a b" ]; then
		ok "$SYS has a and b"
	else
		not_ok "$SYS has a and b" "'$got'"
	fi
	layout a
	layout b
	expect "a: size, pages, node" a size=33554432 pages=8192 \
		node="$(load_node a "$T/load")"
	expect "b: size, pages, node" b size=16777216 pages=4096 \
		node="$(load_node b "$T/load")"
	phys_matches a 32 "$T/load"
	phys_matches b 16 "$T/load"
	if [ "$(sys a phys_base)" != "$(sys b phys_base)" ]; then
		ok "a and b have their own phys_base"
	else
		not_ok "a and b have their own phys_base" "$(sys a phys_base)"
	fi

	# New pools: all free; b (bgzero=0) has no page known zero, a's
	# zeroer zeroes them all.
	expect "a: a new pool's figures" a free_pages=8192 largest_free=8192 \
		buffers=0 allocations=0 failures=0
	expect "b: a new pool's figures" b free_pages=4096 largest_free=4096 \
		buffers=0 allocations=0 failures=0 zeroed_pages=0
	if wait_for 30 sys_is a zeroed_pages 8192; then
		ok "a: zeroed_pages reaches 8192 as the zeroer works"
	else
		not_ok "a: zeroed_pages reaches 8192" "$(sys a zeroed_pages)"
	fi
	agree "a: idle, sysfs agrees with pool info and debugfs" a
	agree "b: idle, sysfs agrees with pool info and debugfs" b

	# A buffer held in b, and an allocation b has no room for.
	# (pagepoolctl itself in the background, for kill to reach it)
	# shellcheck disable=SC2046
	pagepoolctl $(pool_opts b) alloc 100 --hold 60 >"$T/hold" 2>&1 &
	holder=$!
	if wait_for 20 holding "$T/hold"; then
		expect "b: holding 100 pages" b free_pages=3996 buffers=1 \
			allocations=1 failures=0
		agree "b: holding, sysfs agrees with pool info and debugfs" b
		expect "a: untouched by b's buffer" a free_pages=8192 \
			buffers=0 allocations=0
		out=$(pctl b alloc 4096 2>&1)
		rc=$?
		if [ $rc = 5 ] && sys_is b failures 1; then
			ok "b: a refused allocation (no room) counts in failures"
		else
			not_ok "b: a refused allocation counts in failures" \
				"exit $rc, failures $(sys b failures): $out"
		fi
		# Larger than the pool: refused before the allocator, as
		# the ABI says, and not counted.
		out=$(pctl b alloc 100000 2>&1)
		rc=$?
		if [ $rc = 5 ] && sys_is b failures 1; then
			ok "b: a request larger than the pool is refused, not counted"
		else
			not_ok "b: a request larger than the pool" \
				"exit $rc, failures $(sys b failures): $out"
		fi
		agree "b: after the refusals, sysfs agrees with pool info and debugfs" b
		expect "a: no failure counted for b's" a failures=0
	else
		not_ok "b: holding a buffer" "$(cat "$T/hold")"
	fi
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
	if wait_for 20 sys_is b buffers 0; then
		expect "b: the buffer freed" b free_pages=4096 \
			largest_free=4096 allocations=1 failures=1
	else
		not_ok "b: buffers back to 0" "$(sys b buffers)"
	fi
	agree "b: freed, sysfs agrees with pool info and debugfs" b

	# Only root reads phys_base.
	out=$(su -s /bin/sh nobody -c \
		"id -u; cat $SYS/a/size; cat $SYS/a/phys_base" 2>&1)
	rc=$?
	case $out in
	65534*33554432*"Permission denied"*)
		if [ $rc != 0 ]; then
			ok "unprivileged: reads size, not phys_base"
		else
			not_ok "unprivileged: phys_base" "exit 0: $out"
		fi ;;
	*) not_ok "unprivileged: reads size, not phys_base" \
		"$(echo "$out" | tr '\n' ' ') (exit $rc)" ;;
	esac

	# Readers running while the pools go.
	check_idle a
	check_idle b
	(
		end=$(($(date +%s) + 30))
		while [ "$(date +%s)" -lt "$end" ] && [ -e $SYS ]; do
			cat $SYS/*/* >/dev/null 2>&1
		done
	) &
	readers=$!
	(
		end=$(($(date +%s) + 30))
		while [ "$(date +%s)" -lt "$end" ] && [ -e $SYS ]; do
			cat $SYS/a/largest_free $SYS/b/free_pages >/dev/null 2>&1
		done
	) &
	readers2=$!
	sleep 0.3
	rmmod_ok "rmmod with sysfs readers running"
	wait $readers $readers2
	gone "$SYS is gone after rmmod"
else
	klog >/dev/null
fi

# A failed load leaves no directory: a made, then b (ordinary RAM as a
# boot region) refused.
expect_fail "pools= with a bad second pool fails" "Invalid argument" \
	pools=a:16M,b:16M:phys=0x10000000
gone "$SYS is gone after the failed load"

# --- The single pool, named pagepool ---------------------------------------

if insmod_ok size=32M; then
	klog >"$T/load"
	got=$(cd $SYS && echo *)
	if [ "$got" = pagepool ]; then
		ok "$SYS has pagepool"
	else
		not_ok "$SYS has pagepool" "'$got'"
	fi
	layout pagepool
	expect "pagepool: size, pages, node" pagepool size=33554432 \
		pages=8192 node="$(load_node pagepool "$T/load")"
	phys_matches pagepool 32 "$T/load"
	expect "pagepool: sysfs size and pages are pool info's" pagepool \
		size="$(info size)" pages="$(info pages)"
	agree "pagepool: idle, sysfs agrees with pool info and debugfs" \
		pagepool

	# shellcheck disable=SC2046
	pagepoolctl $(pool_opts pagepool) alloc 100 --hold 60 >"$T/hold" 2>&1 &
	holder=$!
	if wait_for 20 holding "$T/hold"; then
		expect "pagepool: holding 100 pages" pagepool free_pages=8092 \
			buffers=1 allocations=1 failures=0
		agree "pagepool: holding, sysfs agrees with pool info and debugfs" \
			pagepool
		out=$(pctl pagepool alloc 8192 2>&1)
		rc=$?
		if [ $rc = 5 ] && sys_is pagepool failures 1; then
			ok "pagepool: a refused allocation counts in failures"
		else
			not_ok "pagepool: a refused allocation counts in failures" \
				"exit $rc, failures $(sys pagepool failures): $out"
		fi
		agree "pagepool: after the refusal, sysfs agrees with pool info and debugfs" \
			pagepool
	else
		not_ok "pagepool: holding a buffer" "$(cat "$T/hold")"
	fi
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
	if wait_for 20 sys_is pagepool buffers 0; then
		ok "pagepool: buffers back to 0"
	else
		not_ok "pagepool: buffers back to 0" "$(sys pagepool buffers)"
	fi
	agree "pagepool: freed, sysfs agrees with pool info and debugfs" \
		pagepool
	check_idle pagepool
	rmmod_ok "pagepool: rmmod"
	gone "$SYS is gone after rmmod of the single pool"
fi

finish
