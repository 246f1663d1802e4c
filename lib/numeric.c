/*
 * numeric.c - GSL's error handler off, and GSL statuses as tact errors.
 */
#include "numeric.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

void tact_numeric_init(void)
{
	gsl_set_error_handler_off();
}

tact_status tact_numeric_check(int gsl_status, const char *what,
                               tact_error *error)
{
	if (gsl_status == GSL_SUCCESS)
		return TACT_OK;
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "%s failed: %s", what, gsl_strerror(gsl_status));
}

double tact_numeric_z(double confidence)
{
	return gsl_cdf_ugaussian_Qinv((1 - confidence) / 2);
}
