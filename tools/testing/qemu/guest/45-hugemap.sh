#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Huge mappings: a 512 MiB buffer, 2 MiB-aligned in physical memory and
# mapped at a 2 MiB boundary, is written through; a forked child reads it;
# a page is made read-only and another unmapped (splitting PMD entries);
# growing the mapping is refused; it reads back through a second mapping
# one page in, and through vgem's mapping of its import (pagepool-test
# hugemap). From Linux 6.12 on, where the module maps such buffers with
# PMD entries, PageTables in /proc/meminfo must grow by a few KiB, not by
# the 1 MiB of 4 KiB entries; on 6.1, which maps 4 KiB entries, the figure
# is only shown.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup hugemap "huge mapping tests"

if out=$(load-vgem 2>&1); then
	ok "vgem loads"
else
	not_ok "vgem loads" "$out"
fi
# 512 MiB, or 256 MiB where a NUMA node (the debug kernel's) has 1 GiB.
mib=512
[ -d /sys/devices/system/node/node1 ] && mib=256
insmod_ok size=$((mib + 64))M || finish
if pagepool-test hugemap $((mib * 256)) >"$T/out" 2>&1; then
	ok "$mib MiB buffer written and read back through two mappings"
	kb=$(sed -n 's/^pagetables \([-+0-9]*\) kB.*/\1/p' "$T/out")
	note "$(head -n 1 "$T/out") ($(uname -r))"
	major=$(uname -r | cut -d. -f1)
	minor=$(uname -r | cut -d. -f2)
	if [ "$major" -lt 6 ] || { [ "$major" = 6 ] && [ "$minor" -lt 12 ]; }; then
		ok "page tables for $mib MiB: ${kb} kB (4 KiB entries before 6.12)"
	elif [ -n "$kb" ] && [ "$kb" -lt 64 ]; then
		ok "page tables for $mib MiB: ${kb} kB (PMD entries)"
	else
		not_ok "page tables for $mib MiB with PMD entries" \
			"PageTables grew by '${kb}' kB, want under 64"
	fi
	grep -q "^read back through vgem" "$T/out" &&
		ok "read back through vgem's mapping of its import" ||
		not_ok "no read back through vgem" "$(tail -n 1 "$T/out")"
else
	not_ok "$mib MiB buffer written and read back through two mappings" \
		"$(tail -n 1 "$T/out")"
fi
load-vgem -r >/dev/null 2>&1
run "pool whole after the huge mappings" pagepoolctl check --idle
unload "hugemap"
finish
