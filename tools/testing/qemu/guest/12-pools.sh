#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Several pools (pools=NAME:SIZE[:OPTION=VALUE]...,...): each has its own
# devices (/dev/pagepool-NAME, /dev/dma_heap/pagepool-NAME) and debugfs
# directory; pagepoolctl and pagepool-test reach one with --pool NAME, use
# the only one without it and refuse to guess between several;
# `pagepoolctl pools` lists them; what one pool hands out leaves the others
# alone. The pool named pagepool keeps the plain names. Bad pools= entries
# fail with EINVAL, the kernel log naming the entry; a pool that cannot get
# its memory fails with ENOMEM; a pool that fails after others were made
# gives them back; nothing is held after a failed load.
#
# Run by tools/testing/qemu/run-guest; prints "ok - NAME" or
# "not ok - NAME: reason" lines.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

EINVAL="Invalid argument"
ENOMEM="Cannot allocate memory"
DBG=/sys/kernel/debug/pagepool

# pinfo POOL KEY: KEY's value in `pagepoolctl --pool POOL info --raw`.
pinfo() {
	pagepoolctl --pool "$1" info --raw 2>/dev/null | sed -n "s/^$2=//p"
}

# pinfo_is POOL KEY VALUE: for wait_for.
pinfo_is() { [ "$(pinfo "$1" "$2")" = "$3" ]; }

# out_is NAME WANT_RC WANT_TEXT CMD...: CMD exits WANT_RC and its output
# (both streams) contains WANT_TEXT.
out_is() {
	local _name=$1 _rc=$2 _want=$3 _out _got

	shift 3
	_out=$("$@" 2>&1)
	_got=$?
	case $_out in
	*"$_want"*)
		if [ "$_got" = "$_rc" ]; then
			ok "$_name"
			note "  $(echo "$_out" | tail -n 1)"
			return
		fi ;;
	esac
	not_ok "$_name" "$* exits $_got, want $_rc and '$_want': $(echo "$_out" | tail -n 1)"
}

# char_devs NAME PATH...: each PATH is a character device.
char_devs() {
	local _name=$1 _f _bad=''

	shift
	for _f in "$@"; do
		[ -c "$_f" ] || _bad="$_bad $_f"
	done
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name" "missing:$_bad"
	fi
}

# absent NAME PATH...: no PATH exists.
absent() {
	local _name=$1 _f _bad=''

	shift
	for _f in "$@"; do
		[ ! -e "$_f" ] || _bad="$_bad $_f"
	done
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name" "still there:$_bad"
	fi
}

# modes NAME MODE PATH...: each PATH has the permissions MODE (octal, as
# stat -c %a prints them).
modes() {
	local _name=$1 _want=$2 _f _got _bad=''

	shift 2
	for _f in "$@"; do
		_got=$(stat -c %a "$_f" 2>&1)
		[ "$_got" = "$_want" ] || _bad="$_bad $_f:$_got"
	done
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name" "want $_want, got$_bad"
	fi
}

# pools_row POOL: POOL's line of `pagepoolctl pools` ($T/pools), as
# "SIZE NODE FREE LARGEST".
pools_row() {
	awk -v p="$1" 'NR > 1 && $1 == p { print $2, $3, $4, $5 }' "$T/pools"
}

# check_pools NAME WANT...: `pagepoolctl pools` has a header line, then one
# line per pool with name, size, node, free pages and largest free run;
# each WANT is "POOL SIZE FREE LARGEST" (the node is not checked: a number
# from sysfs, or "-" without it).
check_pools() {
	local _name=$1 _w _bad='' _n

	shift
	if ! pagepoolctl pools >"$T/pools" 2>&1; then
		not_ok "$_name" "pagepoolctl pools: $(tail -n 1 "$T/pools")"
		return
	fi
	sed 's/^/#   /' "$T/pools"
	_n=$(($(wc -l <"$T/pools") - 1))
	if [ "$(awk 'NR == 1 { print $1, $2, $3, $4, $5 }' "$T/pools")" != \
	     "NAME SIZE NODE FREE_PAGES LARGEST_FREE" ]; then
		not_ok "$_name" "header '$(head -n 1 "$T/pools")'"
		return
	fi
	[ "$_n" = $# ] || _bad=" $_n lines for $# pools"
	for _w in "$@"; do
		# shellcheck disable=SC2086 # "POOL SIZE FREE LARGEST"
		set -- $_w
		case $(pools_row "$1") in
		"$2 "*" $3 $4") ;;
		*) _bad="$_bad; $1: '$(pools_row "$1")', want size $2, free $3, largest $4" ;;
		esac
	done
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name" "${_bad#; }"
	fi
}

# idle_each NAME POOL...: `pagepoolctl --pool POOL check --idle` for each.
idle_each() {
	local _name=$1 _p

	shift
	for _p in "$@"; do
		run "$_name: pool $_p: debugfs check ok, pool whole" \
			pagepoolctl --pool "$_p" check --idle
	done
}

# bad_load NAME ERRTEXT LOGTEXT ARGS...: expect_fail NAME ERRTEXT ARGS, then
# test that the kernel log of the attempt has LOGTEXT, and that no pool's
# device is left.
bad_load() {
	local _name=$1 _want=$2 _log=$3 _from

	shift 3
	_from=$(($(wc -l <"$T/klog") + 1))
	expect_fail "$_name" "$_want" "$@"
	if tail -n +"$_from" "$T/klog" | grep -qF -- "$_log"; then
		ok "$_name: the kernel log says \"$_log\""
	else
		not_ok "$_name: the kernel log says \"$_log\"" \
			"$(tail -n +"$_from" "$T/klog" | grep pagepool | tail -n 1)"
	fi
	# (ls with no match prints nothing: not an error here)
	if [ -n "$(ls /dev/pagepool* /dev/dma_heap/pagepool* 2>/dev/null)" ]
	then
		not_ok "$_name: no device left" \
			"$(ls /dev/pagepool* /dev/dma_heap/pagepool* 2>/dev/null | tr '\n' ' ')"
	fi
}

setup pools "several pools tests"
total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
note "MemTotal $total_kb kB, MemFree $start_mf kB"
[ -d /sys/kernel/pagepool ] || note "no /sys/kernel/pagepool before loading"

# --- Three pools -------------------------------------------------------------

mf=$(memfree_kb)
if insmod_ok pools=a:32M,b:16M:bgzero=0,c:8M:mode=0666; then
	if [ -d /sys/kernel/pagepool ]; then
		note "pools from /sys/kernel/pagepool"
	else
		note "no /sys/kernel/pagepool: pools from debugfs"
	fi
	char_devs "three pools: a control and a heap device each" \
		/dev/pagepool-a /dev/pagepool-b /dev/pagepool-c \
		/dev/dma_heap/pagepool-a /dev/dma_heap/pagepool-b \
		/dev/dma_heap/pagepool-c
	absent "no plain /dev/pagepool, /dev/dma_heap/pagepool, debugfs links" \
		/dev/pagepool /dev/dma_heap/pagepool "$DBG/check" "$DBG/stats"
	if [ -r "$DBG/a/check" ] && [ -r "$DBG/b/stats" ] &&
	   [ -r "$DBG/c/chunks" ]; then
		ok "a debugfs directory per pool"
	else
		not_ok "a debugfs directory per pool" "$(ls "$DBG" | tr '\n' ' ')"
	fi
	modes "pools a and b: mode 0600" 600 /dev/pagepool-a \
		/dev/dma_heap/pagepool-a /dev/pagepool-b /dev/dma_heap/pagepool-b
	modes "pool c: mode=0666" 666 /dev/pagepool-c /dev/dma_heap/pagepool-c

	out_is "pagepoolctl without --pool lists the pools and fails" 2 \
		"several pools: a, b, c; choose one with --pool NAME" \
		pagepoolctl info
	out_is "pagepool-test without --pool lists the pools and fails" 2 \
		"several pools: a, b, c; choose one with --pool NAME" \
		pagepool-test replay </dev/null
	out_is "pagepoolctl --pool nosuch fails cleanly" 3 \
		"no pool named 'nosuch'; the pools are a, b, c" \
		pagepoolctl --pool nosuch info
	out_is "pagepool-test --pool nosuch fails cleanly" 3 \
		"no pool named 'nosuch'" pagepool-test --pool nosuch replay \
		</dev/null
	out_is "pagepoolctl --pool A (not a pool name) is a usage error" 2 \
		"a pool name is 1 to 32 characters" pagepoolctl --pool A info
	out_is "pagepoolctl --pool without a name is a usage error" 2 \
		"--pool needs a value" pagepoolctl --pool

	out=$(pagepoolctl --pool b info --raw 2>&1)
	case $out in
	*size=16777216*) ok "pagepoolctl --pool b info --raw: size=16777216" ;;
	*) not_ok "pagepoolctl --pool b info --raw: size=16777216" \
		"$(echo "$out" | tr '\n' ' ')" ;;
	esac
	if [ "$(pinfo a size)" = 33554432 ] && [ "$(pinfo c size)" = 8388608 ]
	then
		ok "--pool a and --pool c: their own sizes"
	else
		not_ok "--pool a and --pool c: their own sizes" \
			"a: '$(pinfo a size)', c: '$(pinfo c size)'"
	fi
	check_pools "pagepoolctl pools: a header and three pools" \
		"a 32M 8192 8192" "b 16M 4096 4096" "c 8M 2048 2048"
	out=$(pagepoolctl --pool c pools 2>&1)
	if [ "$(echo "$out" | wc -l)" = 2 ] &&
	   [ "$(echo "$out" | awk 'NR == 2 { print $1 }')" = c ]; then
		ok "pagepoolctl --pool c pools: that pool only"
	else
		not_ok "pagepoolctl --pool c pools: that pool only" \
			"$(echo "$out" | tr '\n' '|')"
	fi

	# Exact first fit in b (bgzero=0: no page is known zero).
	printf 'alloc 10\nalloc 20\nfree 0 10\nalloc 5\n' >"$T/trace"
	if pagepool-test --pool b replay <"$T/trace" >"$T/out" 2>"$T/err"
	then
		got=$(tr '\n' ',' <"$T/out")
		if [ "$got" = "0 0,10 0,0 0," ]; then
			ok "pool b: replay gives offsets 0, 10, 0"
		else
			not_ok "pool b: replay gives offsets 0, 10, 0" "got '$got'"
		fi
	else
		not_ok "pool b: replay gives offsets 0, 10, 0" \
			"replay failed: $(tail -n 1 "$T/err")"
	fi
	# The same, held: b has 25 pages out, a and c none.
	pagepool-test --pool b replay --hold 60 <"$T/trace" >"$T/out" \
		2>"$T/err" &
	holder=$!
	wait_for 30 holding "$T/err"
	if pinfo_is b free_pages 4071 && pinfo_is b allocations 2; then
		ok "pool b: 25 pages in 2 buffers held"
	else
		not_ok "pool b: 25 pages in 2 buffers held" \
			"free_pages '$(pinfo b free_pages)', allocations '$(pinfo b allocations)'"
	fi
	if pinfo_is a free_pages 8192 && pinfo_is a allocations 0 &&
	   pinfo_is c free_pages 2048 && pinfo_is c allocations 0; then
		ok "pools a and c: unchanged by b's buffers"
	else
		not_ok "pools a and c: unchanged by b's buffers" \
			"a: $(pinfo a free_pages) free, c: $(pinfo c free_pages) free"
	fi
	check_pools "pagepoolctl pools while b holds 25 pages" \
		"a 32M 8192 8192" "b 16M 4071 4066" "c 8M 2048 2048"
	run "pool b: debugfs check ok with buffers held" \
		pagepoolctl --pool b check
	pagepoolctl --pool b map >"$T/map" 2>&1
	if grep -q '^pages:  4096, allocated 25 ' "$T/map"; then
		ok "pagepoolctl --pool b map: b's debugfs (25 pages allocated)"
	else
		not_ok "pagepoolctl --pool b map: b's debugfs" \
			"$(grep '^pages:' "$T/map" || tail -n 1 "$T/map")"
	fi
	kill $holder
	wait $holder 2>/dev/null

	# Both devices of each pool, through --pool.
	out=$(pagepoolctl --pool c alloc 16 --heap --fill 0xa5 2>&1)
	case $out in
	*"device=/dev/dma_heap/pagepool-c"*verified*)
		ok "pool c: heap allocation through /dev/dma_heap/pagepool-c" ;;
	*) not_ok "pool c: heap allocation through /dev/dma_heap/pagepool-c" \
		"$(echo "$out" | tail -n 1)" ;;
	esac
	out=$(pagepoolctl --pool a alloc 16 --fill 0x5a 2>&1)
	case $out in
	*"offset=0 pages=16"*"device=/dev/pagepool-a"*verified*)
		ok "pool a: allocation through /dev/pagepool-a" ;;
	*) not_ok "pool a: allocation through /dev/pagepool-a" \
		"$(echo "$out" | tail -n 1)" ;;
	esac
	# An unprivileged user may use c (0666), not a (0600).
	grep -q '^nobody:' /etc/passwd 2>/dev/null ||
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	grep -q '^nogroup:' /etc/group 2>/dev/null ||
		echo 'nogroup:x:65534:' >>/etc/group
	if su -s /bin/sh nobody -c 'pagepoolctl --pool c alloc 4' \
		>"$T/su" 2>&1; then
		ok "pool c (0666): an unprivileged user allocates"
	else
		not_ok "pool c (0666): an unprivileged user allocates" \
			"$(tail -n 1 "$T/su")"
	fi
	if su -s /bin/sh nobody -c 'pagepoolctl --pool a alloc 4' \
		>"$T/su" 2>&1; then
		not_ok "pool a (0600): an unprivileged user does not" \
			"allowed: $(tail -n 1 "$T/su")"
	else
		ok "pool a (0600): an unprivileged user does not"
	fi

	idle_each "three pools" a b c
	rmmod_ok "three pools: rmmod"
	absent "three pools: devices and debugfs gone after rmmod" \
		/dev/pagepool-a /dev/dma_heap/pagepool-c "$DBG/a" \
		/sys/kernel/pagepool/a
fi
memfree_back "three pools: MemFree back after rmmod" "$mf"

# --- One pool, not named pagepool: the default without --pool --------------

name32=abcdefghijklmnopqrstuvwxyz-01234
if insmod_ok pools=$name32:8M; then
	char_devs "a 32-character name: its devices" /dev/pagepool-$name32 \
		/dev/dma_heap/pagepool-$name32
	if [ "$(info size)" = 8388608 ]; then
		ok "the only pool is the default: info without --pool"
	else
		not_ok "the only pool is the default: info without --pool" \
			"$(pagepoolctl info --raw 2>&1 | tail -n 1)"
	fi
	run "the only pool is the default: replay without --pool" \
		sh -c 'printf "alloc 3\n" | pagepool-test replay'
	check_pools "pagepoolctl pools: one pool" "$name32 8M 2048 2048"
	unload "the only pool, $name32"
fi

# --- pagepool and another: the plain names and the suffixed ones ----------

if insmod_ok pools=pagepool:8M,x:4M:bgzero=0; then
	char_devs "pool pagepool: the plain devices; x: -x" /dev/pagepool \
		/dev/dma_heap/pagepool /dev/pagepool-x /dev/dma_heap/pagepool-x
	if [ -r "$DBG/check" ] && [ -r "$DBG/pagepool/check" ] &&
	   [ -r "$DBG/x/check" ] && [ ! -e /dev/pagepool-pagepool ]; then
		ok "pool pagepool: debugfs links at the top as well"
	else
		not_ok "pool pagepool: debugfs links at the top as well" \
			"$(ls "$DBG" | tr '\n' ' ')"
	fi
	out_is "pagepool and x: no --pool lists both" 2 \
		"several pools: pagepool, x; choose one" pagepoolctl check
	if [ "$(pinfo pagepool size)" = 8388608 ] &&
	   [ "$(pinfo x size)" = 4194304 ]; then
		ok "--pool pagepool and --pool x: their own sizes"
	else
		not_ok "--pool pagepool and --pool x: their own sizes" \
			"'$(pinfo pagepool size)' and '$(pinfo x size)'"
	fi
	out=$(pagepoolctl --pool pagepool alloc 2 2>&1)
	if echo "$out" | grep -q ' device=/dev/pagepool$'; then
		ok "--pool pagepool: allocates through /dev/pagepool"
	else
		not_ok "--pool pagepool: allocates through /dev/pagepool" \
			"$(echo "$out" | head -n 1)"
	fi
	check_pools "pagepoolctl pools: pagepool and x" \
		"pagepool 8M 2048 2048" "x 4M 1024 1024"
	idle_each "pagepool and x" pagepool x
	rmmod_ok "pagepool and x: rmmod"
fi

# --- Mistakes ---------------------------------------------------------------

name33=${name32}5
bad_load "pools: a name given twice is EINVAL" "$EINVAL" \
	"pools=: entry 'a': " pools=a:8M,a:8M
bad_load "pools: an upper-case name is EINVAL" "$EINVAL" \
	"pools=: entry 'A': " pools=A:8M
bad_load "pools: a 33-character name is EINVAL" "$EINVAL" \
	"pools=: entry '$name33': " pools=$name33:8M
bad_load "pools: an unknown option is EINVAL" "$EINVAL" \
	"pools=: entry 'a': " pools=a:8M:colour=red
bad_load "pools: no size is EINVAL" "$EINVAL" "pools=: entry 'a': " pools=a
bad_load "pools: size 12Q is EINVAL" "$EINVAL" "pools=: entry 'a': " \
	pools=a:12Q
bad_load "pools: bgzero=2 is EINVAL" "$EINVAL" "pools=: entry 'a': " \
	pools=a:8M:bgzero=2
bad_load "pools: a later bad entry is EINVAL" "$EINVAL" \
	"pools=: entry 'b': " pools=a:8M,b:8M:mode=07777x
bad_load "pools: empty is EINVAL" "$EINVAL" "pools=: entry '': " pools=
bad_load "pools: node without memory is EINVAL" "$EINVAL" \
	"pool a: node 9: " pools=a:8M:node=9
bad_load "pools= with size= is EINVAL" "$EINVAL" "pools= is given with" \
	pools=a:8M size=16M
bad_load "pools: a pool larger than memory is ENOMEM" "$ENOMEM" \
	"pool b: " pools=a:32M,b:100G
# b fails after a has its memory: a is given back.
bad_load "pools: b fails after a is made (phys not reserved), a goes" \
	"$EINVAL" "pool b: not created" pools=a:32M,b:8M:phys=0x10000000
absent "no pool a left after the failed loads" /dev/pagepool-a \
	/dev/dma_heap/pagepool-a "$DBG" /sys/kernel/pagepool
out_is "pagepoolctl pools without the module fails" 3 \
	"is pagepool.ko loaded?" pagepoolctl pools
out_is "pagepoolctl --pool a without the module fails" 3 \
	"cannot open /dev/pagepool-a" pagepoolctl --pool a info
memfree_back "MemFree unchanged after the failed loads" "$start_mf"

finish
