/*
 * numeric.h - the door to GSL: its abort handler off, its statuses checked.
 *
 * GSL's default error handler aborts the process.  tact turns it off once
 * (tact_numeric_init, called by every tool at start and by every test) and
 * checks every status a GSL call returns, turning a failure into a
 * tact_error with status TACT_SOFTWARE that names the computation.  GSL is
 * used only behind lib/'s statistics modules; tools never call it directly.
 *
 * GSL does not refuse bad input (the mean of no values is 0, a quantile
 * fraction outside [0,1] is 0): every statistics function checks its
 * preconditions before calling GSL.
 */
#ifndef TACT_NUMERIC_H
#define TACT_NUMERIC_H

#include "error.h"

/* Turn GSL's abort-on-error handler off.  Idempotent; call once at start. */
void tact_numeric_init(void);

/*
 * Turn a GSL status into a tact status: TACT_OK for GSL_SUCCESS, else
 * TACT_SOFTWARE with "what: GSL's reason" in error.
 */
tact_status tact_numeric_check(int gsl_status, const char *what,
                               tact_error *error);

/* The two-sided normal critical value z_{1 - (1 - confidence) / 2}
 * (1.959963984540054 at 0.95), the one place it is computed.  confidence
 * in (0, 1). */
double tact_numeric_z(double confidence);

#endif
