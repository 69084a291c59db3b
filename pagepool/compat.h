/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool compat: every difference between the kernels pagepool supports
 * (Debian's, from bookworm's 6.1 to the newest in trixie-backports) that
 * the module's code meets, in this one place. Each entry names the kernel
 * version and the upstream change; no other file tests a kernel version
 * or an API's presence. Where a kernel defines a marker of the change, the
 * test is on that marker rather than on the version number, so that a
 * distribution kernel with the change backported is served too.
 *
 * Adding a kernel: build against its headers (tools/testing/run-tests does
 * for every kernel it tests); a new difference gets an entry here, with a
 * wrapper named after what it does, and the callers use the wrapper.
 */
#ifndef _PAGEPOOL_COMPAT_H
#define _PAGEPOOL_COMPAT_H

#include <linux/gfp.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#if __has_include("linux/pfn_t.h")
#include <linux/pfn_t.h>
#endif
#ifdef CONFIG_X86
#include <asm/memtype.h>
#include <asm/set_memory.h>
#endif

/**
 * pagepool_alloc_contig_range() - take [start, end) from the page allocator
 * @start: first page frame
 * @end: one past the last page frame
 * @gfp: allocation flags for migrating what is in the range
 *
 * An ordinary (not CMA) alloc_contig_range(). Linux 6.17 replaced its
 * migratetype argument by flags ("mm/page_isolation: remove migratetype
 * parameter from more functions", which added acr_flags_t): there
 * MIGRATE_MOVABLE, which is 1, would read as ACR_FLAGS_CMA.
 *
 * Return: 0 or a negative error, as alloc_contig_range().
 */
static inline int pagepool_alloc_contig_range(unsigned long start,
					      unsigned long end, gfp_t gfp)
{
#ifdef ACR_FLAGS_NONE
	return alloc_contig_range(start, end, ACR_FLAGS_NONE, gfp);
#else
	return alloc_contig_range(start, end, MIGRATE_MOVABLE, gfp);
#endif
}

/*
 * Huge PFN mappings. Linux 6.12 ("mm: Support huge pfnmaps" and x86's
 * ARCH_SUPPORTS_PMD_PFNMAP) lets a VM_PFNMAP mapping take PMD entries from
 * its ->huge_fault(), marked special so that fork, split, zap and GUP
 * leave the pages alone; 6.1's mm never calls ->huge_fault() for such a
 * mapping, which there gets 4 KiB entries from remap_pfn_range(). Where
 * PAGEPOOL_HUGE_PFNMAP is defined, pagepool_insert_pfn_pmd() maps one PMD
 * of frames from @pfn: Linux 6.17 or so dropped pfn_t ("mm: remove
 * pfn_t"), and vmf_insert_pfn_pmd() took a plain frame number from then.
 */
#if defined(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP) && \
	defined(CONFIG_TRANSPARENT_HUGEPAGE)
#define PAGEPOOL_HUGE_PFNMAP

static inline vm_fault_t pagepool_insert_pfn_pmd(struct vm_fault *vmf,
						 unsigned long pfn,
						 bool write)
{
#if __has_include("linux/pfn_t.h")
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#endif
}
#endif

/*
 * Write-combined pages. On x86 with PAT, set_memory_wc() records WC as the
 * memory type of RAM pages, which remap_pfn_range(), vmf_insert_pfn() and
 * vmf_insert_pfn_pmd() then give a write-combined mapping of them (any
 * other type of mapping of RAM is turned into the recorded one, with an
 * "x86/PAT: ... got write-back" warning), and switches the kernel's linear
 * map of them to WC, flushing them from the caches; set_memory_wb() undoes
 * both. The same on every kernel supported. Without PAT, WC would become
 * uncached; other architectures have no such call: there
 * pagepool_wc_supported() is false. The calls take an int count of pages,
 * so a longer run goes in pieces.
 */
#define PAGEPOOL_WC_STEP	BIT(30)

static inline bool pagepool_wc_supported(void)
{
#ifdef CONFIG_X86
	return pat_enabled();
#else
	return false;
#endif
}

/*
 * Make @pages pages from @vaddr in the linear map WC (@wc) or WB. On
 * failure some of them may have changed: the caller makes them all WB.
 */
static inline int pagepool_set_memtype(void *vaddr, u64 pages, bool wc)
{
#ifdef CONFIG_X86
	unsigned long addr = (unsigned long)vaddr;
	u64 done, n;
	int ret;

	for (done = 0; done < pages; done += n) {
		n = min_t(u64, pages - done, PAGEPOOL_WC_STEP);
		if (wc)
			ret = set_memory_wc(addr + (done << PAGE_SHIFT), n);
		else
			ret = set_memory_wb(addr + (done << PAGE_SHIFT), n);
		if (ret)
			return ret;
	}
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/*
 * The DMA_BUF symbol namespace. Linux 6.13 made MODULE_IMPORT_NS() take a
 * string ("module: Convert symbol namespace to string literal"); before,
 * it took a bare name. Both expand to this modinfo line.
 */
#define PAGEPOOL_IMPORT_NS_DMA_BUF()	MODULE_INFO(import_ns, "DMA_BUF")

#endif /* _PAGEPOOL_COMPAT_H */
