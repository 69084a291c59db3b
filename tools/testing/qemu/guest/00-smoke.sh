#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Proves the run-guest harness: the kernel boots, vgem loads and unloads,
# and pagepool.ko (when present) loads with a small pool and unloads.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

note "kernel $(uname -r)"

if load-vgem; then
	if [ -d /dev/dri ]; then
		ok "vgem loads and creates /dev/dri"
	else
		not_ok "vgem loads and creates /dev/dri" "no /dev/dri"
	fi
	if [ -e /lib/modules/vgem/BUILTIN ]; then
		ok "vgem is built into this kernel: nothing to unload"
	elif load-vgem -r && ! [ -e /sys/module/vgem ]; then
		ok "vgem unloads"
	else
		not_ok "vgem unloads" "rmmod failed"
	fi
else
	not_ok "vgem loads and creates /dev/dri" "load-vgem failed"
fi

if [ -e "$KO" ]; then
	if insmod "$KO" size=16M; then
		ok "pagepool.ko loads with size=16M"
		if rmmod pagepool; then
			ok "pagepool.ko unloads"
		else
			not_ok "pagepool.ko unloads" "rmmod failed"
		fi
	else
		not_ok "pagepool.ko loads with size=16M" "insmod failed"
	fi
fi
