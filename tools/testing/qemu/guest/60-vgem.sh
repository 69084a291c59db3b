#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Import into vgem: pagepool-test import allocates a buffer, writes a
# pattern, imports it into vgem with DRM_IOCTL_PRIME_FD_TO_HANDLE (vgem
# attaches and maps it), exports the handle again and checks it is the same
# dma-buf with the same bytes, closes its own fds and mappings and checks
# the buffer stays allocated while vgem holds it, then closes the GEM
# handle and checks the pages are back in the pool.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup vgem "vgem import tests"

if ! out=$(load-vgem 2>&1); then
	not_ok "vgem loads" "$out"
	exit 0
fi
ok "vgem loads"

if insmod_ok size=32M; then
	run "import 1 page into vgem" pagepool-test import 1
	run "import 16 pages into vgem" pagepool-test import 16
	run "import a 300-page heap buffer into vgem" \
		pagepool-test import 300 --heap
	run "import 1500 pages (across chunks) into vgem" \
		pagepool-test import 1500
	# One DMA mapping for both imports: the debug kernel's DMA-API
	# checker reports overlapping mappings of the same pages.
	run "import 300 pages through two vgem files at once" \
		pagepool-test import 300 --twice
	# shellcheck disable=SC2119 # unload's NAME is optional
	unload
fi
if out=$(load-vgem -r 2>&1); then
	ok "vgem unloads"
else
	not_ok "vgem unloads" "$out"
fi

finish
