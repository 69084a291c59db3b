/* SPDX-License-Identifier: GPL-2.0 */
/* glibc's <errno.h> reaches this file too: hand it the real one. */
#include_next <linux/errno.h>
#include "../kernel-compat.h"
