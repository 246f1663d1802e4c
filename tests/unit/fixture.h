/*
 * fixture.h - a summary loaded from the CSV rows a test writes, for the
 * tests of modules that start from a summary.  Include after <cmocka.h>
 * and "load.h".
 */
#ifndef TACT_TEST_FIXTURE_H
#define TACT_TEST_FIXTURE_H

/* write(out) writes the export, header first; by is --by (NULL: the
 * default).  Fails the test when the export does not load. */
static inline void fixture_load(tact_summary *summary, const char *by,
                                void (*write)(FILE *out))
{
	tact_load_options options;
	tact_error error;
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	write(out);
	fclose(out);
	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	if (by)
		assert_int_equal(tact_roles_spec_set(&options.roles, "by", by, &error),
		                 TACT_OK);
	tact_summary_init(summary);
	assert_int_equal(tact_load_memory("in.csv", data, strlen(data), &options,
	                                  summary, NULL, &error), TACT_OK);
	tact_load_options_release(&options);
	free(data);
}

#endif
