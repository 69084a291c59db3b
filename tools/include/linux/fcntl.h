/* SPDX-License-Identifier: GPL-2.0 */
/* The O_* flags come from libc in userspace. */
#include <fcntl.h>
#include "../kernel-compat.h"
