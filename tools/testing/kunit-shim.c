// SPDX-License-Identifier: GPL-2.0
/*
 * Runner for KUnit suites built in userspace against tools/include/kunit/.
 * Prints KTAP-like lines and ends with "N passed, N failed"; the exit status
 * is 1 when any case failed. An optional argument runs only the suites or
 * cases whose name contains it.
 */
#include <kunit/test.h>

#define MAX_SUITES 16

static struct kunit_suite *suites[MAX_SUITES];
static int nsuites;

void kunit_shim_register(struct kunit_suite *suite)
{
	if (nsuites == MAX_SUITES) {
		fprintf(stderr, "kunit-shim: too many suites\n");
		exit(2);
	}
	suites[nsuites++] = suite;
}

void kunit_shim_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
{
	va_list ap;

	test->failed = 1;
	printf("    # %s: EXPECTATION FAILED at %s:%d\n    ", test->name,
	       file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	void **allocs;
	void *p;

	p = kmalloc_array(n, size, gfp);
	if (!p)
		return NULL;
	allocs = realloc(test->allocs, (test->nallocs + 1) * sizeof(*allocs));
	if (!allocs) {
		free(p);
		return NULL;
	}
	test->allocs = allocs;
	test->allocs[test->nallocs++] = p;
	return p;
}

static int run_case(struct kunit_suite *suite, struct kunit_case *c)
{
	struct kunit test = { .name = c->name };
	size_t i;

	if (!setjmp(test.abort)) {
		if (suite->init && suite->init(&test))
			test.failed = 1;
		else
			c->run_case(&test);
	}
	if (suite->exit)
		suite->exit(&test);
	for (i = 0; i < test.nallocs; i++)
		free(test.allocs[i]);
	free(test.allocs);
	return test.failed;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, s;

	for (s = 0; s < nsuites; s++) {
		struct kunit_suite *suite = suites[s];
		struct kunit_case *c;
		int n = 0;

		printf("# Subtest: %s\n", suite->name);
		for (c = suite->test_cases; c->run_case; c++) {
			if (filter && !strstr(suite->name, filter) &&
			    !strstr(c->name, filter))
				continue;
			if (run_case(suite, c)) {
				failed++;
				printf("    not ok %d - %s\n", ++n, c->name);
			} else {
				passed++;
				printf("    ok %d - %s\n", ++n, c->name);
			}
			fflush(stdout);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
