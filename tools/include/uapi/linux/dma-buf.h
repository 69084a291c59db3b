/* SPDX-License-Identifier: GPL-2.0 */
/* The DMA_BUF_SYNC_* flags come from the system's UAPI header. */
#include <asm/types.h>
#include <linux/dma-buf.h>
#include "../../kernel-compat.h"
