#include "test.h"

int test_failed;

int test_main(int argc, char **argv, const struct test_case *cases)
{
	int failures = 0, ran = 0;
	for (const struct test_case *c = cases; c->name; c++) {
		int wanted = argc < 2;
		for (int i = 1; i < argc; i++)
			wanted |= strcmp(argv[i], c->name) == 0;
		if (!wanted)
			continue;
		test_failed = 0;
		c->fn();
		ran++;
		printf("%s %s\n", test_failed ? "FAIL" : "ok  ", c->name);
		failures += test_failed;
	}
	printf("%d/%d passed\n", ran - failures, ran);
	return failures || ran == 0 ? 1 : 0;
}
