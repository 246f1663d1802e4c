/*
 * check.h - what cmocka 1.1.5 lacks: comparing doubles with a tolerance.
 *
 * Include after <cmocka.h>.  assert_close(actual, expected, rel) passes when
 * |actual - expected| <= rel * max(|expected|, tiny); both NaN also pass (a
 * blank figure compared with a blank figure); both infinite of the same
 * sign pass.  assert_close_abs uses an absolute tolerance.  On failure the
 * message prints both values with 17 significant digits.
 */
#ifndef TACT_TEST_CHECK_H
#define TACT_TEST_CHECK_H

#include <math.h>
#include <stdio.h>

static inline int tact_test_close(double actual, double expected, double rel,
                                  double abs_tolerance)
{
	double scale;

	if (isnan(actual) || isnan(expected))
		return isnan(actual) && isnan(expected);
	if (isinf(actual) || isinf(expected))
		return actual == expected;
	scale = fabs(expected) > 1e-300 ? fabs(expected) : 1e-300;
	return fabs(actual - expected) <= rel * scale ||
	       fabs(actual - expected) <= abs_tolerance;
}

#define TACT_ASSERT_CLOSE_(actual, expected, rel, abs_tolerance)              \
	do {                                                                   \
		double a_ = (actual), e_ = (expected);                         \
		if (!tact_test_close(a_, e_, (rel), (abs_tolerance))) {        \
			print_error("%s = %.17g, expected %.17g (rel %g, abs %g)\n", \
			            #actual, a_, e_, (double)(rel),            \
			            (double)(abs_tolerance));                  \
			fail();                                                \
		}                                                              \
	} while (0)

#define assert_close(actual, expected, rel) \
	TACT_ASSERT_CLOSE_(actual, expected, rel, 0.0)
#define assert_close_abs(actual, expected, abs_tolerance) \
	TACT_ASSERT_CLOSE_(actual, expected, 0.0, abs_tolerance)

#endif
