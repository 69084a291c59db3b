#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pagepool on a region reserved at boot: run by run-guest with
#   --append 'memmap=64M$0x40000000'
# (tools/testing/run-tests does). The pool comes from that region instead
# of the page allocator.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup memmap "phys_base tests"

base=0x40000000

if grep -q "40000000-43ffffff : Reserved" /proc/iomem; then
	ok "memmap= reserved [1 GiB, +64 MiB)"
else
	not_ok "memmap= region missing from /proc/iomem" \
		"$(grep -i reserved /proc/iomem | head -n 3)"
fi

EINVAL="Invalid argument"
expect_fail "phys_base beyond the reserved region" "$EINVAL" \
	size=128M phys_base=$base
expect_fail "phys_base not page aligned" "$EINVAL" \
	size=16M phys_base=0x40000800
expect_fail "phys_base straddling the region's end" "$EINVAL" \
	size=64M phys_base=0x40200000
expect_fail "phys_base in ordinary RAM" "$EINVAL" \
	size=16M phys_base=0x10000000

insmod_ok size=64M phys_base=$base || exit 0
dmesg | grep -q "boot reservation" && ok "log says boot reservation" ||
	not_ok "log does not mention the boot reservation"
grep -q "40000000-43ffffff : pagepool" /proc/iomem && ok "region claimed" ||
	not_ok "region not claimed in /proc/iomem"

pagepoolctl info --raw >"$T/info"
grep -q "^size=67108864$" "$T/info" && ok "pool info: 64 MiB" ||
	not_ok "pool info" "$(tr '\n' ' ' <"$T/info")"

if out=$(pagepoolctl alloc 100 --fill 0xa5 2>&1); then
	ok "alloc, map, fill, verify on the boot region"
else
	not_ok "alloc on the boot region" "$out"
fi
echo "$out" | grep -q "phys=0x40000000" && ok "buffer info: physical address" ||
	not_ok "buffer info phys" "$out"

if out=$(pagepoolctl alloc 300 --heap --fill 0x3c 2>&1); then
	ok "heap alloc on the boot region"
else
	not_ok "heap alloc on the boot region" "$out"
fi

# No write-combined buffers here: EOPNOTSUPP, one log line, twice refused.
# (The zeroer may zero pages meanwhile: zeroed_pages is left out.)
pagepoolctl info --raw | grep -v '^zeroed_pages=' >"$T/before"
for i in 1 2; do
	if out=$(pagepoolctl alloc 16 --wc 2>&1); then
		not_ok "write-combined alloc on the boot region succeeded"
	elif echo "$out" | grep -q "Operation not supported"; then
		ok "write-combined alloc on the boot region is EOPNOTSUPP ($i)"
	else
		not_ok "write-combined alloc on the boot region" "$out"
	fi
done
n=$(dmesg | grep -c "no write-combined buffers: the pool is a boot region")
[ "$n" = 1 ] && ok "one log line says why" ||
	not_ok "log lines about write-combined buffers: $n"
pagepoolctl info --raw | grep -v '^zeroed_pages=' >"$T/after"
cmp -s "$T/before" "$T/after" && ok "the refusals left the pool as it was" ||
	not_ok "pool changed by the refusals" "$(diff "$T/before" "$T/after")"

if out=$(pagepool-test stress --procs 3 --ops 100 --seed 7 2>&1); then
	ok "stress on the boot region"
else
	not_ok "stress on the boot region" "$(echo "$out" | tail -n 2)"
fi

if load-vgem; then
	if out=$(pagepool-test import 64 2>&1); then
		ok "import into vgem"
	else
		not_ok "import into vgem" "$(echo "$out" | tail -n 1)"
	fi
	load-vgem -r
fi

pagepoolctl check --idle >/dev/null && ok "check ok, pool whole" ||
	not_ok "check" "$(cat /sys/kernel/debug/pagepool/check)"
rmmod_ok "rmmod"
grep -q ": pagepool" /proc/iomem && not_ok "region still claimed after rmmod" ||
	ok "region released"

if insmod "$KO" size=64M phys_base=$base; then
	ok "loads again"
	rmmod pagepool
else
	not_ok "does not load again"
fi

# A pool on the boot region beside one from the page allocator (pools=).
mf=$(memfree_kb)
if insmod "$KO" pools=boot:64M:phys=$base,dyn:32M:bgzero=0; then
	ok "pools= with a boot region pool and an allocated one"
	dmesg | grep -q "pagepool: boot: 64 MiB at 0x0*40000000 (boot reservation" &&
	dmesg | grep -q "pagepool: dyn: 32 MiB at .* (allocated" &&
		ok "log: boot is the reservation, dyn is allocated" ||
		not_ok "load lines" "$(dmesg | grep 'MiB at' | tail -n 2)"
	for p in boot dyn; do
		if out=$(pagepoolctl --pool $p alloc 100 --fill 0x6b 2>&1); then
			ok "$p: alloc, map, fill, verify"
		else
			not_ok "$p: alloc" "$out"
		fi
	done
	pagepoolctl --pool boot alloc 1 2>&1 | grep -q "phys=0x40000000" &&
		ok "boot: buffer info shows the region" ||
		not_ok "boot: buffer phys" "$(pagepoolctl --pool boot alloc 1 2>&1)"
	if out=$(pagepoolctl --pool dyn alloc 16 --wc 2>&1); then
		ok "dyn: write-combined beside the boot region"
	else
		not_ok "dyn: write-combined alloc" "$out"
	fi
	rmmod_ok "rmmod of both pools"
	grep -q ": pagepool" /proc/iomem &&
		not_ok "region still claimed after rmmod of both pools" ||
		ok "region released with both pools"
	memfree_within "$mf" "$(memfree_kb)" &&
		ok "MemFree back after both pools" ||
		not_ok "MemFree after both pools" "$mf -> $(memfree_kb) kB"
else
	not_ok "pools= with a boot region pool and an allocated one"
fi
expect_fail "pools= with a boot pool beyond the region, after an allocated one" \
	"Invalid argument" pools=dyn:32M,boot:128M:phys=$base
