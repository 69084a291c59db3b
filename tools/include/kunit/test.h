/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace stand-in for the part of <kunit/test.h> (Linux 6.1) that the
 * pagepool suites use, so that the suites under kunit/ also run as a plain program under
 * ASan and UBSan. tools/testing/kunit-shim.c holds the runner.
 */
#ifndef _KUNIT_SHIM_TEST_H
#define _KUNIT_SHIM_TEST_H

#include <linux/kernel.h>
#include <setjmp.h>

struct kunit {
	const char *name;
	void *priv;
	int failed;
	jmp_buf abort;
	void **allocs;
	size_t nallocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char name[256];
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }

void kunit_shim_register(struct kunit_suite *suite);
void kunit_shim_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...) __printf(4, 5);
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	void *p = kunit_kmalloc_array(test, 1, size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	void *p = kunit_kmalloc_array(test, n, size, gfp);

	if (p)
		memset(p, 0, n * size);
	return p;
}

#define kunit_test_suites(...)						\
	static struct kunit_suite *__kunit_shim_suites[] = { __VA_ARGS__ }; \
	static void __attribute__((constructor)) __kunit_shim_init(void) \
	{								\
		size_t i;						\
		for (i = 0; i < ARRAY_SIZE(__kunit_shim_suites); i++)	\
			kunit_shim_register(__kunit_shim_suites[i]);	\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&(suite))

#define kunit_info(test, fmt, ...)	printf("    # " fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	printf("    # " fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	printf("    # " fmt, ##__VA_ARGS__)

#define __KUNIT_CHECK(test, ok, assert, fmt, ...)			\
	do {								\
		if (!(ok)) {						\
			kunit_shim_fail(test, __FILE__, __LINE__,	\
					fmt, ##__VA_ARGS__);		\
			if (assert)					\
				longjmp((test)->abort, 1);		\
		}							\
	} while (0)

#define __KUNIT_BINARY(test, assert, l, op, r, fmt, ...)		\
	do {								\
		typeof(l) __l = (l);					\
		typeof(r) __r = (r);					\
		__KUNIT_CHECK(test, __l op __r, assert,			\
			      "Expected %s %s %s, but %s == %lld (0x%llx), " \
			      "%s == %lld (0x%llx)\n" fmt, #l, #op, #r, #l, \
			      (long long)__l, (unsigned long long)__l, #r, \
			      (long long)__r, (unsigned long long)__r,	\
			      ##__VA_ARGS__);				\
	} while (0)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 0, l, >=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, 1, l, >=, r, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_EXPECT_EQ_MSG(t, l, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_EXPECT_NE_MSG(t, l, r, "")
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_EXPECT_LT_MSG(t, l, r, "")
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_EXPECT_LE_MSG(t, l, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_EXPECT_GT_MSG(t, l, r, "")
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_EXPECT_GE_MSG(t, l, r, "")
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_ASSERT_EQ_MSG(t, l, r, "")
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_ASSERT_NE_MSG(t, l, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_ASSERT_LT_MSG(t, l, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_ASSERT_LE_MSG(t, l, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_ASSERT_GT_MSG(t, l, r, "")
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_ASSERT_GE_MSG(t, l, r, "")

#define KUNIT_EXPECT_TRUE_MSG(t, c, f, ...)				\
	__KUNIT_CHECK(t, (c), 0, "Expected %s to be true\n" f, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, f, ...)				\
	__KUNIT_CHECK(t, !(c), 0, "Expected %s to be false\n" f, #c, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, f, ...)				\
	__KUNIT_CHECK(t, (c), 1, "Expected %s to be true\n" f, #c, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, f, ...)				\
	__KUNIT_CHECK(t, !(c), 1, "Expected %s to be false\n" f, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_EXPECT_TRUE_MSG(t, c, "")
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_EXPECT_FALSE_MSG(t, c, "")
#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_ASSERT_TRUE_MSG(t, c, "")
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_ASSERT_FALSE_MSG(t, c, "")

#define KUNIT_EXPECT_NULL(t, p)		KUNIT_EXPECT_TRUE(t, (p) == NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_EXPECT_TRUE(t, (p) != NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_ASSERT_TRUE(t, (p) != NULL)
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KUNIT_EXPECT_TRUE(t, (l) == (r))

#define KUNIT_EXPECT_STREQ_MSG(t, l, r, f, ...)				\
	__KUNIT_CHECK(t, !strcmp((l), (r)), 0,				\
		      "Expected %s == %s, but \"%s\" != \"%s\"\n" f,	\
		      #l, #r, (l), (r), ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ(t, l, r)	KUNIT_EXPECT_STREQ_MSG(t, l, r, "")

#define KUNIT_FAIL(t, f, ...)						\
	__KUNIT_CHECK(t, 0, 0, f "\n", ##__VA_ARGS__)

#endif /* _KUNIT_SHIM_TEST_H */
