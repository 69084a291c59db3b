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

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

# node_modes NAME MODE: both device nodes have the permissions MODE (octal,
# as stat -c %a prints them).
node_modes() {
	_p1=$(stat -c %a /dev/pagepool)
	_p2=$(stat -c %a /dev/dma_heap/pagepool)
	if [ "$_p1" = "$2" ] && [ "$_p2" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "/dev/pagepool $_p1, /dev/dma_heap/pagepool $_p2"
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
	# Every page is free at once, even while the worker zeroes them.
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

setup load "load tests"
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
expect_fail "heap_align=3K (not a power of two) is EINVAL" "$EINVAL" \
	size=16M heap_align=3K
expect_fail "heap_align=2K (less than a page) is EINVAL" "$EINVAL" \
	size=16M heap_align=2K
expect_fail "heap_align=garbage is EINVAL" "$EINVAL" size=16M \
	heap_align=garbage
memfree_back "MemFree unchanged after the failed loads" "$start_mf"

good_load "size=16M" 4096 size=16M
good_load "size=1M rounds up to one 2 MiB chunk" 512 size=1M
good_load "size=1 rounds up to one chunk" 512 size=1
good_load "size=2M is one chunk" 512 size=2M
good_load "size=2049K rounds up to two chunks" 1024 size=2049K
good_load "size=16384K" 4096 size=16384K
good_load "heap_align=0 (none)" 4096 size=16M heap_align=0
good_load "heap_align=64K" 4096 size=16M heap_align=64K
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
	node_modes "default mode 0600 on both device nodes" 600
	unload "default mode"
else
	not_ok "default mode 0600 on both device nodes" "insmod size=2M failed"
fi
if insmod "$KO" size=2M mode=0666; then
	node_modes "mode=0666 on both device nodes" 666
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
	wait_for 10 info_is allocations 1
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
no_kernel_warnings
exit 0
