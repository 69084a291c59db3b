#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loading pagepool.ko: bad parameters fail with the right errno, a kernel
# log message and nothing held; good sizes load with the documented
# rounding; mode, node and max_pages do what they say; rmmod is refused
# while a buffer is alive; MemFree comes back after rmmod.
#
# Run by tools/testing/qemu/run-guest; prints "ok - NAME" or
# "not ok - NAME: reason" lines.

KO=/lib/modules/pagepool.ko
T=/tmp/pp-load.$$
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
# klog: kernel messages since the last call (kept in $T/klog as well).
klog() { dmesg -c | tee -a "$T/klog"; }
info() { pagepoolctl info --raw 2>/dev/null | sed -n "s/^$1=//p"; }

# run NAME CMD...: ok when CMD exits 0, else not ok with its last line.
run() {
	_rn=$1
	shift
	_ro=$("$@" 2>&1)
	_rr=$?
	if [ $_rr = 0 ]; then
		ok "$_rn"
	else
		not_ok "$_rn" "$(echo "$_ro" | tail -n 1) (exit $_rr)"
	fi
	return $_rr
}

# memfree_back NAME BEFORE_KB: MemFree is back within 2 MiB + 1%.
memfree_back() {
	_now=$(memfree_kb)
	_tol=$((2048 + $2 / 100))
	if [ $((_now + _tol)) -ge "$2" ]; then
		ok "$1 (MemFree $2 -> $_now kB)"
	else
		not_ok "$1" "MemFree $2 kB before, $_now kB now (tolerance $_tol kB)"
	fi
}

unload() {
	run "$1: debugfs check ok, pool whole" pagepoolctl check --idle
	if _out=$(rmmod pagepool 2>&1); then
		ok "$1: rmmod"
	else
		not_ok "$1: rmmod" "$_out"
	fi
}

# expect_fail NAME ERRTEXT ARGS...: insmod with ARGS fails, saying ERRTEXT
# (busybox insmod prints strerror), the kernel log says why, and MemFree
# does not drop.
expect_fail() {
	_name=$1
	_want=$2
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
	elif [ $((_now + 2048 + _mf / 100)) -lt "$_mf" ]; then
		not_ok "$_name" "MemFree $_mf -> $_now kB: memory kept"
	else
		ok "$_name"
		note "  $_log"
	fi
}

# good_load NAME PAGES ARGS...: loads, the pool has PAGES pages, all free.
good_load() {
	_name=$1
	_pages=$2
	shift 2
	_mf=$(memfree_kb)
	if ! _out=$(insmod "$KO" "$@" 2>&1); then
		not_ok "$_name" "insmod $*: $_out"
		return
	fi
	_got=$(info pages)
	# With bgzero=1 the worker holds up to 1 MiB of free pages out of
	# the pool while it zeroes them; wait for it to finish.
	_i=0
	while [ "$(info free_pages)" != "$_got" ] && [ $_i -lt 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_free=$(info free_pages)
	_chunks=$(info chunks)
	_size=$(info size)
	if [ "$_got" != "$_pages" ]; then
		not_ok "$_name" "pool has '$_got' pages, want $_pages"
	elif [ "$_free" != "$_pages" ] || [ "$_chunks" != $((_pages / 512)) ] ||
	     [ "$_size" != $((_pages * 4096)) ]; then
		not_ok "$_name" "pool info: free $_free, chunks $_chunks, size $_size"
	else
		ok "$_name ($_pages pages)"
	fi
	unload "$_name"
	memfree_back "$_name: MemFree back after rmmod" "$_mf"
}

if ! command -v pagepoolctl >/dev/null || ! [ -e "$KO" ]; then
	not_ok "load tests" "no pagepoolctl or $KO in the guest"
	exit 0
fi
if [ -e /sys/module/pagepool ]; then
	note "pagepool was left loaded; unloading it"
	rmmod pagepool
fi
start_mf=$(memfree_kb)
total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
note "MemTotal $total_kb kB, MemFree $start_mf kB"

EINVAL="Invalid argument"
ENOMEM="Cannot allocate memory"

expect_fail "size=0 is EINVAL" "$EINVAL" size=0
expect_fail "size=garbage is EINVAL" "$EINVAL" size=garbage
expect_fail "size=1Q is EINVAL" "$EINVAL" size=1Q
expect_fail "size=16MM is EINVAL" "$EINVAL" size=16MM
expect_fail "size=-16M is EINVAL" "$EINVAL" size=-16M
expect_fail "size= (empty) is EINVAL" "$EINVAL" size=
expect_fail "size above MemTotal is ENOMEM" "$ENOMEM" \
	size=$((total_kb + 8192))K
expect_fail "size twice MemTotal is ENOMEM" "$ENOMEM" \
	size=$((total_kb * 2))K
expect_fail "size=64G is ENOMEM" "$ENOMEM" size=64G
expect_fail "size=1T is ENOMEM" "$ENOMEM" size=1T
expect_fail "size=99999999999999999999 is EINVAL" "$EINVAL" \
	size=99999999999999999999
expect_fail "node=99 is EINVAL" "$EINVAL" size=16M node=99
expect_fail "mode=07777 is EINVAL" "$EINVAL" size=16M mode=07777
expect_fail "mode=01600 is EINVAL" "$EINVAL" size=16M mode=01600
expect_fail "max_pages above the pool is EINVAL" "$EINVAL" size=16M \
	max_pages=4097
expect_fail "phys_base=garbage is EINVAL" "$EINVAL" size=16M \
	phys_base=garbage
expect_fail "phys_base unaligned is EINVAL" "$EINVAL" size=16M \
	phys_base=0x10000800
expect_fail "phys_base in ordinary RAM (not reserved) is EINVAL" \
	"$EINVAL" size=16M phys_base=0x10000000
expect_fail "phys_base beyond memory is EINVAL" "$EINVAL" size=16M \
	phys_base=0x100000000000
expect_fail "bgzero=2 is EINVAL" "$EINVAL" size=16M bgzero=2
memfree_back "MemFree unchanged after the failed loads" "$start_mf"

good_load "size=16M" 4096 size=16M
good_load "size=1M rounds up to one 2 MiB chunk" 512 size=1M
good_load "size=1 rounds up to one chunk" 512 size=1
good_load "size=2M is one chunk" 512 size=2M
good_load "size=2049K rounds up to two chunks" 1024 size=2049K
good_load "size=16384K" 4096 size=16384K
good_load "size=0x1000000 (hexadecimal)" 4096 size=0x1000000
# 1 GiB needs a window free of reserved pages: in a 2 GiB guest whether
# there is one depends on where KASLR put the kernel. ENOMEM saying so
# still shows that "G" parsed.
klog >/dev/null
if out=$(insmod "$KO" size=1G 2>&1); then
	if [ "$(info pages)" = 262144 ]; then
		ok "size=1G (262144 pages)"
	else
		not_ok "size=1G" "pool has '$(info pages)' pages, want 262144"
	fi
	unload "size=1G"
elif klog | grep -q 'pagepool: no 1024 MiB window'; then
	ok "size=1G parses # SKIP no 1 GiB window free of reserved pages here"
else
	not_ok "size=1G" "$out"
fi
good_load "no size: the default 64M" 16384
good_load "node=0" 4096 size=16M node=0
good_load "bgzero=0" 4096 size=16M bgzero=0

# mode: the device nodes get the permissions asked for (default 0600).
if insmod "$KO" size=2M; then
	p1=$(stat -c %a /dev/pagepool)
	p2=$(stat -c %a /dev/dma_heap/pagepool)
	if [ "$p1" = 600 ] && [ "$p2" = 600 ]; then
		ok "default mode 0600 on both device nodes"
	else
		not_ok "default mode 0600 on both device nodes" \
			"/dev/pagepool $p1, /dev/dma_heap/pagepool $p2"
	fi
	unload "default mode"
else
	not_ok "default mode 0600 on both device nodes" "insmod size=2M failed"
fi
if insmod "$KO" size=2M mode=0666; then
	p1=$(stat -c %a /dev/pagepool)
	p2=$(stat -c %a /dev/dma_heap/pagepool)
	if [ "$p1" = 666 ] && [ "$p2" = 666 ]; then
		ok "mode=0666 on both device nodes"
	else
		not_ok "mode=0666 on both device nodes" \
			"/dev/pagepool $p1, /dev/dma_heap/pagepool $p2"
	fi
	# An unprivileged user may allocate but is not told phys.
	grep -q '^nobody:' /etc/passwd 2>/dev/null ||
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	grep -q '^nogroup:' /etc/group 2>/dev/null ||
		echo 'nogroup:x:65534:' >>/etc/group
	out=$(su -s /bin/sh nobody -c 'id -u; pagepoolctl alloc 4' 2>&1)
	rc=$?
	case $out in
	65534*offset=*) if echo "$out" | grep -q 'phys='; then
			not_ok "unprivileged alloc, no phys" "phys shown: $out"
		else
			ok "unprivileged alloc works and shows no phys"
		fi ;;
	*) not_ok "unprivileged alloc, no phys" \
		"su nobody pagepoolctl alloc 4: $(echo "$out" | tail -n 1) (exit $rc)" ;;
	esac
	out=$(pagepoolctl alloc 4 2>&1)
	case $out in
	*phys=0x*) ok "root sees phys" ;;
	*) not_ok "root sees phys" "$out" ;;
	esac
	unload "mode=0666"
else
	not_ok "mode=0666 on both device nodes" "insmod size=2M mode=0666 failed"
fi

# max_pages: the largest allocation, on both devices.
if insmod "$KO" size=16M max_pages=16; then
	run "max_pages=16: alloc 16" pagepoolctl alloc 16
	out=$(pagepoolctl alloc 17 2>&1)
	case $out in
	*"$EINVAL"*) ok "max_pages=16: alloc 17 is EINVAL" ;;
	*) not_ok "max_pages=16: alloc 17 is EINVAL" "$out" ;;
	esac
	run "max_pages=16: heap alloc of 16 pages" pagepoolctl alloc 16 --heap
	out=$(pagepoolctl alloc 17 --heap 2>&1)
	case $out in
	*"$EINVAL"*) ok "max_pages=16: heap alloc of 17 pages is EINVAL" ;;
	*) not_ok "max_pages=16: heap alloc of 17 pages is EINVAL" "$out" ;;
	esac
	unload "max_pages=16"
else
	not_ok "max_pages=16" "insmod size=16M max_pages=16 failed"
fi

# rmmod is refused while a buffer is alive, and works once it is gone.
if insmod "$KO" size=4M; then
	pagepoolctl alloc 8 --hold 60 >"$T/hold.out" 2>&1 &
	holder=$!
	i=0
	while [ "$(info allocations)" != 1 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if out=$(rmmod pagepool 2>&1); then
		not_ok "rmmod refused while a buffer is alive" "rmmod succeeded"
		kill -9 $holder 2>/dev/null
		wait $holder 2>/dev/null
	else
		ok "rmmod refused while a buffer is alive"
		note "  $out"
		kill -9 $holder
		wait $holder 2>/dev/null
		unload "after the holder is killed"
	fi
else
	not_ok "rmmod refused while a buffer is alive" "insmod size=4M failed"
fi

# A phys_base region reserved at boot, when the command line has one.
mm=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^memmap=\([0-9]*[KMG]\)\$\(0x[0-9a-fA-F]*\)$/\1 \2/p' | head -n 1)
if [ -n "$mm" ]; then
	set -- $mm
	if insmod "$KO" size="$1" phys_base="$2"; then
		ok "phys_base=$2 (memmap=$1\$$2) loads"
		run "phys_base pool: alloc, fill, verify" \
			pagepoolctl alloc 16 --fill 0x5a
		unload "phys_base"
	else
		not_ok "phys_base=$2 (memmap=$1\$$2) loads" "insmod failed"
	fi
else
	ok "phys_base of a reserved region # SKIP no memmap=SIZE\$ADDR on the command line"
fi

memfree_back "MemFree back at the end" "$start_mf"
klog >/dev/null
if grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Call Trace' \
	"$T/klog" >"$T/bad"; then
	not_ok "no kernel warnings" "$(head -n 1 "$T/bad")"
else
	ok "no kernel warnings"
fi
rm -rf "$T"
exit 0
