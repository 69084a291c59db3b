// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the pagepool module's checks of what module parameters
 * and ioctls pass in (pagepool/check.c): the logic that needs no
 * pool and no hardware. The devices themselves are tested end to end in
 * QEMU (tools/testing/qemu/).
 */

#include <kunit/test.h>
#include <linux/fcntl.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <uapi/linux/dma-buf.h>

#include "../pagepool/check.h"

static void parse_size_accepts(struct kunit *test)
{
	static const struct {
		const char *s;
		u64 bytes;
	} cases[] = {
		{ "1", 1 },
		{ "4096", 4096 },
		{ "4K", 4096 },
		{ "4k", 4096 },
		{ "256M", 256ULL << 20 },
		{ "2G", 2ULL << 30 },
		{ "1T", 1ULL << 40 },
		{ "0x1000", 0x1000 },
		{ "0X10k", 16ULL << 10 },
		{ "0x40000000", 1ULL << 30 },
		{ "64M\n", 64ULL << 20 },
		{ "007", 7 },
		{ "16777215T", 16777215ULL << 40 },
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		u64 bytes = 0;

		KUNIT_EXPECT_EQ_MSG(test, pagepool_parse_size(cases[k].s,
							      &bytes), 0,
				    "size %s", cases[k].s);
		KUNIT_EXPECT_EQ_MSG(test, bytes, cases[k].bytes, "size %s",
				    cases[k].s);
	}
}

static void parse_size_rejects(struct kunit *test)
{
	static const char * const bad[] = {
		"", "M", "0", "0M", "0x0", "12Q", "1.5G", "-1", "1 M", " 1",
		"0x", "1MB", "1M\n\n", "4G4", "99999999999999999999",
		"16777216T", "0x10000000000000000", "18446744073709551616",
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		u64 bytes = 12345;

		KUNIT_EXPECT_EQ_MSG(test, pagepool_parse_size(bad[k], &bytes),
				    -EINVAL, "size '%s'", bad[k]);
		KUNIT_EXPECT_EQ(test, bytes, 12345ULL);
	}
	KUNIT_EXPECT_EQ(test, pagepool_parse_size(NULL, NULL), -EINVAL);
}

/* The checks of DMA_HEAP_IOCTL_ALLOC, in dma-heap's order. */
/* A pools= list that parses, and what each entry asks for. */
static void parse_pools_accepts(struct kunit *test)
{
	char list[128];
	struct pagepool_spec specs[PAGEPOOL_MAX_POOLS];
	const char *bad = NULL, *why = NULL;
	unsigned int n;

	snprintf(list, sizeof(list), "%s",
		 "cam:64M:node=1:phys=0x40000000:bgzero=0:max_pages=512:mode=0660:user_pages=2048,dsp-2_x:1G");
	KUNIT_ASSERT_EQ(test, pagepool_parse_pools(list, specs, &n, &bad,
						   &why), 0);
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, strcmp(specs[0].name, "cam"), 0);
	KUNIT_EXPECT_EQ(test, specs[0].bytes, 64ULL << 20);
	KUNIT_EXPECT_EQ(test, specs[0].node, 1);
	KUNIT_EXPECT_EQ(test, specs[0].has_phys, true);
	KUNIT_EXPECT_EQ(test, specs[0].phys, 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, specs[0].bgzero, false);
	KUNIT_EXPECT_EQ(test, specs[0].max_pages, 512ULL);
	KUNIT_EXPECT_EQ(test, specs[0].mode, 0660);
	KUNIT_EXPECT_EQ(test, specs[0].user_pages, 2048ULL);
	/* Left out: today's defaults. */
	KUNIT_EXPECT_EQ(test, strcmp(specs[1].name, "dsp-2_x"), 0);
	KUNIT_EXPECT_EQ(test, specs[1].bytes, 1ULL << 30);
	KUNIT_EXPECT_EQ(test, specs[1].node, PAGEPOOL_ANY_NODE);
	KUNIT_EXPECT_EQ(test, specs[1].has_phys, false);
	KUNIT_EXPECT_EQ(test, specs[1].bgzero, true);
	KUNIT_EXPECT_EQ(test, specs[1].max_pages, 0ULL);
	KUNIT_EXPECT_EQ(test, specs[1].mode, 0600);
	KUNIT_EXPECT_EQ(test, specs[1].user_pages, 0ULL);
}

/* Every kind of malformed pools= list, with the entry it blames. */
static void parse_pools_rejects(struct kunit *test)
{
	static const struct {
		const char *list, *bad;
	} cases[] = {
		{ "", "" },
		{ "a", "a" },				/* no size */
		{ "a:", "a" },
		{ "a:0", "a" },
		{ "a:12Q", "a" },
		{ ":1M", "" },				/* no name */
		{ "A:1M", "A" },			/* upper case */
		{ "a.b:1M", "a.b" },
		{ "a b:1M", "a b" },
		{ "abcdefghijklmnopqrstuvwxyz0123456:1M",
		  "abcdefghijklmnopqrstuvwxyz0123456" },	/* 33 */
		{ "a:1M,a:2M", "a" },			/* twice */
		{ "stats:1M", "stats" },		/* a debugfs file */
		{ "check:1M", "check" },
		{ "a:1M,,b:1M", "" },			/* empty entry */
		{ "a:1M,", "" },
		{ "a:1M:colour=red", "a" },		/* unknown option */
		{ "a:1M:node", "a" },			/* no value */
		{ "a:1M:node=", "a" },
		{ "a:1M:node=-1", "a" },
		{ "a:1M:node=x", "a" },
		{ "a:1M:node=1:node=1", "a" },		/* twice */
		{ "a:1M:bgzero=2", "a" },
		{ "a:1M:bgzero=yes", "a" },
		{ "a:1M:mode=01777", "a" },
		{ "a:1M:mode=0689", "a" },
		{ "a:1M:max_pages=1k", "a" },
		{ "a:1M:user_pages=", "a" },
		{ "a:1M:user_pages=-1", "a" },
		{ "owners:1M", "owners" },
		{ "a:1M:phys=", "a" },
		{ "a:1M:", "a" },			/* empty option */
		{	/* 17 pools */
			"a:1M,b:1M,c:1M,d:1M,e:1M,f:1M,g:1M,h:1M,i:1M,j:1M,k:1M,l:1M,m:1M,n:1M,o:1M,p:1M,q:1M",
			"q:1M"
		},
	};
	struct pagepool_spec specs[PAGEPOOL_MAX_POOLS];
	unsigned int k, n;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		const char *bad = NULL, *why = NULL;
		char list[256];

		snprintf(list, sizeof(list), "%s", cases[k].list);
		KUNIT_EXPECT_EQ_MSG(test, pagepool_parse_pools(list, specs, &n,
							       &bad, &why),
				    -EINVAL, "'%s'", cases[k].list);
		KUNIT_EXPECT_NE_MSG(test, (unsigned long)why, 0UL, "'%s'",
				    cases[k].list);
		if (!bad)
			bad = "(none)";
		KUNIT_EXPECT_EQ_MSG(test, strcmp(bad, cases[k].bad), 0,
				    "'%s' blames '%s'", cases[k].list, bad);
	}
}

static void heap_alloc_checks(struct kunit *test)
{
	u64 pages = 77;

	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(4096, 0,
							O_RDWR | O_CLOEXEC,
							0, &pages), 0);
	KUNIT_EXPECT_EQ(test, pages, 1ULL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(1, 0, O_RDONLY, 0,
							&pages), 0);
	KUNIT_EXPECT_EQ(test, pages, 1ULL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(PAGE_SIZE + 1, 0,
							O_WRONLY, 0, &pages), 0);
	KUNIT_EXPECT_EQ(test, pages, 2ULL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(1ULL << 40, 0, 0, 0,
							&pages), 0);
	KUNIT_EXPECT_EQ(test, pages, 1ULL << (40 - PAGE_SHIFT));

	pages = 77;
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(0, 0, O_RDWR, 0,
							&pages), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(4096, 3, O_RDWR, 0,
							&pages), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(4096, 0, O_NONBLOCK,
							0, &pages), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(4096, 0, O_RDWR, 1,
							&pages), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(U64_MAX, 0, O_RDWR, 0,
							&pages), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_heap_alloc(U64_MAX - PAGE_SIZE + 2,
							0, O_RDWR, 0, &pages),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pages, 77ULL);
}

static void reserved_must_be_zero(struct kunit *test)
{
	u8 buf[40] = {};
	unsigned int k;

	KUNIT_EXPECT_EQ(test, pagepool_check_reserved(buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_reserved(buf, 0), 0);
	for (k = 0; k < sizeof(buf); k++) {
		buf[k] = 1 << (k % 8);
		KUNIT_EXPECT_EQ(test, pagepool_check_reserved(buf, sizeof(buf)),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, pagepool_check_reserved(buf, k), 0);
		buf[k] = 0;
	}
}

static void align_checks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pagepool_check_align(0, 16), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(1, 16), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(2, 16), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(16, 16), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(1, 1), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(32, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(3, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(12, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(BIT_ULL(63), U64_MAX),
			0);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(BIT_ULL(63) + 1,
						   U64_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_align(U64_MAX, U64_MAX),
			-EINVAL);
}

static void sync_checks(struct kunit *test)
{
	const u64 size = 8 * PAGE_SIZE, r = DMA_BUF_SYNC_READ;
	const u64 w = DMA_BUF_SYNC_WRITE, end = DMA_BUF_SYNC_END;

	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, 0, size, size), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(w | end, 1, 1, size), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(DMA_BUF_SYNC_RW, size - 1,
						  1, size), 0);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(DMA_BUF_SYNC_RW | end,
						  PAGE_SIZE, 3, size), 0);
	/* No direction, unknown bits. */
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(0, 0, 1, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(end, 0, 1, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r | 8, 0, 1, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r | BIT_ULL(63), 0, 1,
						  size), -EINVAL);
	/* Empty, past the end, wrapping. */
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, 0, 0, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, size, 1, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, 1, size, size), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, U64_MAX, 2, size),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pagepool_check_sync(r, 2, U64_MAX, size),
			-EINVAL);
}

static struct kunit_case pagepool_cases[] = {
	KUNIT_CASE(parse_size_accepts),
	KUNIT_CASE(parse_size_rejects),
	KUNIT_CASE(parse_pools_accepts),
	KUNIT_CASE(parse_pools_rejects),
	KUNIT_CASE(heap_alloc_checks),
	KUNIT_CASE(reserved_must_be_zero),
	KUNIT_CASE(align_checks),
	KUNIT_CASE(sync_checks),
	{}
};

static struct kunit_suite pagepool_suite = {
	.name = "pagepool",
	.test_cases = pagepool_cases,
};

kunit_test_suite(pagepool_suite);
