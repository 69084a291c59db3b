#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pagepool on a region reserved at boot: run by run-guest with
#   --append 'memmap=64M$0x40000000'
# (tools/testing/run-tests does). The pool comes from that region instead
# of the page allocator.

base=0x40000000
mod=/lib/modules/pagepool.ko

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

expect_fail() {
	name=$1
	want=$2
	shift 2
	if out=$(insmod $mod "$@" 2>&1); then
		rmmod pagepool
		nok "$name: loaded"
	elif echo "$out" | grep -q "$want"; then
		ok "$name"
	else
		nok "$name: $out"
	fi
}

if grep -q "40000000-43ffffff : Reserved" /proc/iomem; then
	ok "memmap= reserved [1 GiB, +64 MiB)"
else
	nok "memmap= region missing from /proc/iomem: $(grep -i reserved /proc/iomem | head -n 3)"
fi

expect_fail "phys_base beyond the reserved region" "Invalid argument" \
	size=128M phys_base=$base
expect_fail "phys_base not page aligned" "Invalid argument" \
	size=16M phys_base=0x40000800
expect_fail "phys_base straddling the region's end" "Invalid argument" \
	size=64M phys_base=0x40200000
expect_fail "phys_base in ordinary RAM" "Invalid argument" \
	size=16M phys_base=0x10000000

if insmod $mod size=64M phys_base=$base; then
	ok "insmod size=64M phys_base=$base"
else
	nok "insmod size=64M phys_base=$base"
	exit 0
fi
dmesg | grep -q "boot reservation" && ok "log says boot reservation" ||
	nok "log does not mention the boot reservation"
grep -q "40000000-43ffffff : pagepool" /proc/iomem && ok "region claimed" ||
	nok "region not claimed in /proc/iomem"

pagepoolctl info --raw >/tmp/info
grep -q "^size=67108864$" /tmp/info && ok "pool info: 64 MiB" ||
	nok "pool info: $(tr '\n' ' ' </tmp/info)"

if out=$(pagepoolctl alloc 100 --fill 0xa5 2>&1); then
	ok "alloc, map, fill, verify on the boot region"
else
	nok "alloc on the boot region: $out"
fi
echo "$out" | grep -q "phys=0x40000000" && ok "buffer info: physical address" ||
	nok "buffer info phys: $out"

if out=$(pagepoolctl alloc 300 --heap --fill 0x3c 2>&1); then
	ok "heap alloc on the boot region"
else
	nok "heap alloc on the boot region: $out"
fi

if out=$(pagepoolctl stress --procs 3 --ops 100 --seed 7 2>&1); then
	ok "stress on the boot region"
else
	nok "stress on the boot region: $(echo "$out" | tail -n 2)"
fi

if load-vgem; then
	if out=$(pagepoolctl import 64 2>&1); then
		ok "import into vgem"
	else
		nok "import into vgem: $(echo "$out" | tail -n 1)"
	fi
	load-vgem -r
fi

pagepoolctl check --idle >/dev/null && ok "check ok, pool whole" ||
	nok "check: $(cat /sys/kernel/debug/pagepool/check)"
rmmod pagepool && ok "rmmod" || nok "rmmod"
grep -q ": pagepool" /proc/iomem && nok "region still claimed after rmmod" ||
	ok "region released"

if insmod $mod size=64M phys_base=$base; then
	ok "loads again"
	rmmod pagepool
else
	nok "does not load again"
fi
