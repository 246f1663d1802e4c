/*
 * simulate.c - synthetic exports and their exact truth (see simulate.h).
 */
#include "simulate.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "parse.h"
#include "period.h"

enum { CONVERTED, BOUNCED, UNSUBSCRIBED };

static const char *const outcome_names[] = {"converted", "bounced",
                                            "unsubscribed"};

/* Default intent profiles: share, base and slope of converted, bounced,
 * unsubscribed, converter revenue. */
static const struct profile {
	const char *name;
	double share, base[3], slope[3], revenue;
	double pages, cart, referrer[4]; /* behaviour (see simulate.h) */
} profiles[] = {
	{"browse", 0.40, {0.008, 0.40, 0.005}, {0.05, 0.60, 1.30}, 35.0,
	 1.5, 0.03, {0.15, 0.60, 0.05, 0.20}},
	{"buy", 0.20, {0.060, 0.20, 0.001}, {0.70, 0.05, 2.50}, 90.0,
	 5.0, 0.55, {0.25, 0.10, 0.35, 0.30}},
	{"research", 0.25, {0.030, 0.30, 0.003}, {0.25, 0.15, 1.20}, 60.0,
	 8.0, 0.10, {0.60, 0.10, 0.10, 0.20}},
	{"unknown", 0.15, {0.020, 0.35, 0.004}, {0.15, 0.20, 0.80}, 50.0,
	 3.0, 0.10, {0.25, 0.25, 0.25, 0.25}},
};

static const char *const referrers[] = {TACT_SIM_REFERRERS};

static void set_profile(tact_sim_intent *intent, const struct profile *p)
{
	int k;

	for (k = 0; k < 3; k++) {
		intent->base[k] = p->base[k];
		intent->slope[k] = p->slope[k];
	}
	intent->revenue_mean = p->revenue;
	intent->share = p->share;
	intent->pages_mean = p->pages;
	intent->cart_rate = p->cart;
	for (k = 0; k < 4; k++)
		intent->referrer[k] = p->referrer[k];
}

tact_status tact_sim_spec_init(tact_sim_spec *spec, tact_error *error)
{
	size_t i;

	memset(spec, 0, sizeof *spec);
	spec->units = 20000;
	spec->seed = 1;
	spec->revenue_log_sd = 0.6;
	spec->bounce_conversion_factor = 0.1;
	spec->consent_rate = 0.97;
	spec->sessions_mean = 1.0;
	spec->repeat_rate = 0.5;
	spec->intent_drift = 0.3;
	spec->weights[0] = 40.0;
	spec->weights[1] = -0.5;
	spec->weights[2] = -12.0;
	spec->weights[3] = 0.0;
	spec->cap_max = 30;
	spec->intent_count = 4;
	spec->intents = calloc(4, sizeof *spec->intents);
	spec->arm_count = 2;
	spec->arms = calloc(2, sizeof *spec->arms);
	spec->control = strdup("control");
	if (!spec->intents || !spec->arms || !spec->control)
		goto fail;
	for (i = 0; i < 4; i++) {
		if (!(spec->intents[i].name = strdup(profiles[i].name)))
			goto fail;
		set_profile(&spec->intents[i], &profiles[i]);
	}
	spec->arms[0].name = strdup("control");
	spec->arms[0].share = 0.5;
	spec->arms[1].name = strdup("personalized");
	spec->arms[1].share = 0.5;
	spec->arms[1].exposure_mean = 4.0;
	if (!spec->arms[0].name || !spec->arms[1].name)
		goto fail;
	return TACT_OK;
fail:
	tact_sim_spec_release(spec);
	return tact_error_oom(error);
}

void tact_sim_spec_release(tact_sim_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->intent_count && spec->intents; i++)
		free(spec->intents[i].name);
	for (i = 0; i < spec->arm_count && spec->arms; i++)
		free(spec->arms[i].name);
	free(spec->intents);
	free(spec->arms);
	free(spec->control);
	memset(spec, 0, sizeof *spec);
}

/* ---- option parsing ------------------------------------------------ */

/* Iterate "key=value,key=value": calls item(spec, key, value) on each. */
typedef tact_status (*item_fn)(tact_sim_spec *spec, const char *key,
                               const char *value, tact_error *error);

static tact_status each_item(tact_sim_spec *spec, const char *flag,
                             const char *text, item_fn item, tact_error *error)
{
	char *copy = strdup(text), *cursor, *token;
	tact_status status = TACT_OK;

	if (!copy)
		return tact_error_oom(error);
	for (token = strtok_r(copy, ",", &cursor); token && status == TACT_OK;
	     token = strtok_r(NULL, ",", &cursor)) {
		char *equals = strchr(token, '=');
		if (!equals || equals == token || equals[1] == '\0') {
			status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                        "--%s expects NAME=VALUE items, got '%s'",
			                        flag, token);
			break;
		}
		*equals = '\0';
		status = item(spec, token, equals + 1, error);
	}
	free(copy);
	return status;
}

static int number(const char *text, double *value)
{
	return tact_parse_number(text, strlen(text), 0, value);
}

static tact_status bad_number(const char *what, const char *text,
                              tact_error *error)
{
	if (tact_parse_check_range(what, text, strlen(text), NULL, error))
		return TACT_USAGE; /* 1e400: out of range (parse.h) */
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "%s must be a number, got '%s'", what, text);
}

static tact_sim_intent *find_intent(tact_sim_spec *spec, const char *name)
{
	size_t i;

	for (i = 0; i < spec->intent_count; i++)
		if (strcmp(spec->intents[i].name, name) == 0)
			return &spec->intents[i];
	return NULL;
}

static tact_sim_arm *find_arm(tact_sim_spec *spec, const char *name)
{
	size_t i;

	for (i = 0; i < spec->arm_count; i++)
		if (strcmp(spec->arms[i].name, name) == 0)
			return &spec->arms[i];
	return NULL;
}

static tact_status intent_item(tact_sim_spec *spec, const char *key,
                               const char *value, tact_error *error)
{
	tact_sim_intent *intent = find_intent(spec, key);
	double share;
	size_t i;

	if (number(value, &share))
		return bad_number("an intent's share", value, error);
	if (!intent) {
		tact_sim_intent *grown = realloc(spec->intents, (spec->intent_count + 1) *
		                                                 sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		spec->intents = grown;
		intent = &spec->intents[spec->intent_count];
		memset(intent, 0, sizeof *intent);
		if (!(intent->name = strdup(key)))
			return tact_error_oom(error);
		spec->intent_count++;
		/* A known name takes its profile; others the "unknown" one. */
		for (i = 0; i < 4; i++)
			if (strcmp(profiles[i].name, key) == 0)
				break;
		set_profile(intent, &profiles[i < 4 ? i : 3]);
	}
	intent->share = share;
	return TACT_OK;
}

static tact_status arm_item(tact_sim_spec *spec, const char *key,
                            const char *value, tact_error *error)
{
	tact_sim_arm *arm = find_arm(spec, key);
	double share;

	if (number(value, &share))
		return bad_number("an arm's share", value, error);
	if (!arm) {
		tact_sim_arm *grown = realloc(spec->arms,
		                              (spec->arm_count + 1) * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		spec->arms = grown;
		arm = &spec->arms[spec->arm_count];
		memset(arm, 0, sizeof *arm);
		if (!(arm->name = strdup(key)))
			return tact_error_oom(error);
		arm->exposure_mean = strcmp(key, spec->control) == 0 ? 0.0 : 4.0;
		spec->arm_count++;
	}
	arm->share = share;
	return TACT_OK;
}

static tact_status exposure_item(tact_sim_spec *spec, const char *key,
                                 const char *value, tact_error *error)
{
	tact_sim_arm *arm = find_arm(spec, key);

	if (!arm)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--exposure-mean: no arm '%s' (give --arms "
		                      "first)", key);
	if (number(value, &arm->exposure_mean) || arm->exposure_mean < 0)
		return bad_number("an exposure mean (0 or more)", value, error);
	return TACT_OK;
}

static tact_status rate_item(tact_sim_spec *spec, const char *key,
                             const char *value, tact_error *error)
{
	const char *colon = strchr(key, ':');
	char outcome[32], *slash;
	char text[64];
	tact_sim_intent *intent;
	int k;

	if (!colon || (size_t)(colon - key) >= sizeof outcome)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--rate expects OUTCOME:INTENT=BASE[/SLOPE], "
		                      "got '%s'", key);
	memcpy(outcome, key, (size_t)(colon - key));
	outcome[colon - key] = '\0';
	for (k = 0; k < 3; k++)
		if (strcmp(outcome, outcome_names[k]) == 0)
			break;
	if (k == 3)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--rate: unknown outcome '%s' (converted, "
		                      "bounced or unsubscribed)", outcome);
	intent = find_intent(spec, colon + 1);
	if (!intent)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--rate: no intent '%s'", colon + 1);
	snprintf(text, sizeof text, "%s", value);
	slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		if (number(slash + 1, &intent->slope[k]))
			return bad_number("a slope", slash + 1, error);
	}
	if (number(text, &intent->base[k]))
		return bad_number("a base rate", text, error);
	return TACT_OK;
}

static tact_status revenue_item(tact_sim_spec *spec, const char *key,
                                const char *value, tact_error *error)
{
	tact_sim_intent *intent = find_intent(spec, key);

	if (!intent)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--revenue: no intent '%s'", key);
	if (number(value, &intent->revenue_mean) || intent->revenue_mean <= 0)
		return bad_number("a mean revenue (above 0)", value, error);
	return TACT_OK;
}

static tact_status weight_item(tact_sim_spec *spec, const char *key,
                               const char *value, tact_error *error)
{
	static const char *const names[] = {"converted", "bounced",
	                                    "unsubscribed", "revenue"};
	int k;

	for (k = 0; k < 4; k++)
		if (strcmp(key, names[k]) == 0)
			break;
	if (k == 4)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--weights: unknown outcome '%s'", key);
	if (number(value, &spec->weights[k]))
		return bad_number("a weight", value, error);
	return TACT_OK;
}

tact_status tact_sim_spec_set(tact_sim_spec *spec, const char *flag,
                              const char *value, tact_error *error)
{
	if (strcmp(flag, "intents") == 0) {
		/* The list replaces the intents: drop those not listed. */
		size_t i, kept = 0;
		tact_status status;
		for (i = 0; i < spec->intent_count; i++)
			spec->intents[i].share = NAN;
		status = each_item(spec, flag, value, intent_item, error);
		if (status != TACT_OK)
			return status;
		for (i = 0; i < spec->intent_count; i++) {
			if (isnan(spec->intents[i].share))
				free(spec->intents[i].name);
			else
				spec->intents[kept++] = spec->intents[i];
		}
		spec->intent_count = kept;
		return TACT_OK;
	}
	if (strcmp(flag, "arms") == 0) {
		size_t i, kept = 0;
		tact_status status;
		for (i = 0; i < spec->arm_count; i++)
			spec->arms[i].share = NAN;
		status = each_item(spec, flag, value, arm_item, error);
		if (status != TACT_OK)
			return status;
		for (i = 0; i < spec->arm_count; i++) {
			if (isnan(spec->arms[i].share))
				free(spec->arms[i].name);
			else
				spec->arms[kept++] = spec->arms[i];
		}
		spec->arm_count = kept;
		return TACT_OK;
	}
	if (strcmp(flag, "exposure-mean") == 0)
		return each_item(spec, flag, value, exposure_item, error);
	if (strcmp(flag, "rate") == 0)
		return each_item(spec, flag, value, rate_item, error);
	if (strcmp(flag, "revenue") == 0)
		return each_item(spec, flag, value, revenue_item, error);
	if (strcmp(flag, "weights") == 0)
		return each_item(spec, flag, value, weight_item, error);
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "unknown simulation setting '%s'", flag);
}

/* Intent and arm names go into every row unquoted: refuse those that
 * would break the CSV or overflow a row (see write_session). */
static tact_status check_name(const char *what, const char *name,
                              tact_error *error)
{
	const char *problem = NULL;
	char shown[64];

	if (strlen(name) > 100)
		problem = "is longer than 100 bytes";
	else if (strpbrk(name, "\"\r\n"))
		problem = "holds a quote or a line break";
	if (!problem)
		return TACT_OK;
	tact_error_quote(name, strlen(name), shown, sizeof shown);
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0, "%s name '%s' %s",
	                      what, shown, problem);
}

tact_status tact_sim_spec_check(const tact_sim_spec *spec, tact_error *error)
{
	size_t i;
	int k, control = 0;

	if (spec->intent_count == 0 || spec->arm_count < 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "a simulation needs at least one intent and two "
		                      "arms");
	for (i = 0; i < spec->intent_count; i++)
		if (check_name("intent", spec->intents[i].name, error))
			return TACT_USAGE;
	for (i = 0; i < spec->arm_count; i++)
		if (check_name("arm", spec->arms[i].name, error))
			return TACT_USAGE;
	for (i = 0; i < spec->intent_count; i++) {
		const tact_sim_intent *in = &spec->intents[i];
		if (!(in->share > 0))
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "intent '%s' needs a share above 0", in->name);
		for (k = 0; k < 3; k++)
			if (!(in->base[k] > 0 && in->base[k] < 1) || !isfinite(in->slope[k]))
				return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
				                      "the %s rate of '%s' must lie strictly "
				                      "between 0 and 1 (and its slope be finite)",
				                      outcome_names[k], in->name);
	}
	for (i = 0; i < spec->arm_count; i++) {
		if (!(spec->arms[i].share > 0))
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "arm '%s' needs a share above 0",
			                      spec->arms[i].name);
		if (!(spec->arms[i].exposure_mean <= TACT_SIM_EXPOSURE_MEAN_MAX))
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "the exposure mean of arm '%s' must be at "
			                      "most %d", spec->arms[i].name,
			                      TACT_SIM_EXPOSURE_MEAN_MAX);
		if (strcmp(spec->arms[i].name, spec->control) == 0)
			control = 1;
	}
	if (!control)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "no arm is the control '%s'", spec->control);
	if (!(spec->consent_rate >= 0 && spec->consent_rate <= 1) ||
	    !(spec->missing_rate >= 0 && spec->missing_rate < 1) ||
	    !(spec->repeat_rate >= 0 && spec->repeat_rate <= 1) ||
	    !(spec->intent_drift >= 0 && spec->intent_drift <= 1) ||
	    !(spec->bounce_conversion_factor >= 0 &&
	      spec->bounce_conversion_factor <= 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "rates (consent, missing, repeat, drift) must "
		                      "lie between 0 and 1");
	if (!(spec->sessions_mean >= 1 &&
	      spec->sessions_mean <= TACT_SIM_SESSIONS_MEAN_MAX))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the mean number of sessions must lie between "
		                      "1 and %d", TACT_SIM_SESSIONS_MEAN_MAX);
	if (!(spec->revenue_log_sd >= 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the revenue spread must be 0 or more");
	return TACT_OK;
}

/* ---- the model ----------------------------------------------------- */

static double rate_at(const tact_sim_intent *intent, int k, double exposures)
{
	double b = intent->base[k];
	double x;

	if (exposures == 0)
		return b; /* exactly, not through logit and back */
	x = log(b / (1 - b)) + intent->slope[k] * log1p(exposures);
	return 1.0 / (1.0 + exp(-x));
}

/* rate_at with the exposures' effect scaled by fade (--fade); fade 1 is
 * rate_at itself, to the bit. */
static double rate_faded(const tact_sim_intent *intent, int k,
                         double exposures, double fade)
{
	tact_sim_intent faded;

	if (fade == 1.0)
		return rate_at(intent, k, exposures);
	faded = *intent;
	faded.slope[k] *= fade;
	return rate_at(&faded, k, exposures);
}

/* P(convert | bounced) and P(convert | not bounced). */
static void conversion_given_bounce(double pc, double pb, double factor,
                                    double *after_bounce, double *otherwise)
{
	*after_bounce = factor * pc;
	*otherwise = pb < 1 ? pc * (1 - factor * pb) / (1 - pb) : pc;
	if (*otherwise > 1)
		*otherwise = 1; /* only for extreme settings; the truth notes it */
}

/* ---- writing rows -------------------------------------------------- */

typedef struct row_writer {
	FILE *out;
	char line[1024];
	size_t length;
	char time[48];          /* --days: the session's time, else "" */
} row_writer;

/* Names are at most 100 bytes (tact_sim_spec_check), so a row stays far
 * below the buffer; the cut is a last guard, never an underflow. */
static void put_raw(row_writer *w, const char *text, size_t length)
{
	if (w->length + length + 2 > sizeof w->line)
		length = w->length + 2 < sizeof w->line
		                 ? sizeof w->line - w->length - 2
		                 : 0;
	memcpy(w->line + w->length, text, length);
	w->length += length;
}

static void put_text(row_writer *w, const char *text)
{
	put_raw(w, text, strlen(text));
}

static void put_uint(row_writer *w, uint64_t value)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n--)
		w->line[w->length++] = digits[n];
}

static void put_cents(row_writer *w, uint64_t cents)
{
	put_uint(w, cents / 100);
	w->line[w->length++] = '.';
	w->line[w->length++] = (char)('0' + cents / 10 % 10);
	w->line[w->length++] = (char)('0' + cents % 10);
}

static void comma(row_writer *w)
{
	w->line[w->length++] = ',';
}

static void end_row(row_writer *w)
{
	w->line[w->length++] = '\n';
	fwrite(w->line, 1, w->length, w->out);
	w->length = 0;
}

typedef struct unit_outcome {
	size_t intent, arm;
	unsigned long exposures;
	int converted, bounced, unsubscribed;
	uint64_t revenue_cents;
	int consent;
	int device_mobile;
	unsigned pages, cart, referrer; /* behaviour */
} unit_outcome;

static void draw_unit(const tact_sim_spec *spec, gsl_rng *rng,
                      gsl_ran_discrete_t *intents, gsl_ran_discrete_t *arms,
                      double fade, unit_outcome *u)
{
	const tact_sim_intent *in;
	double pc, pb, pu, after, otherwise;

	u->intent = gsl_ran_discrete(rng, intents);
	u->arm = gsl_ran_discrete(rng, arms);
	in = &spec->intents[u->intent];
	u->exposures = spec->arms[u->arm].exposure_mean > 0
	                       ? gsl_ran_poisson(rng, spec->arms[u->arm].exposure_mean)
	                       : 0;
	pc = rate_faded(in, CONVERTED, (double)u->exposures, fade);
	pb = rate_faded(in, BOUNCED, (double)u->exposures, fade);
	pu = rate_faded(in, UNSUBSCRIBED, (double)u->exposures, fade);
	conversion_given_bounce(pc, pb, spec->bounce_conversion_factor, &after,
	                        &otherwise);
	u->bounced = gsl_rng_uniform(rng) < pb;
	u->converted = gsl_rng_uniform(rng) < (u->bounced ? after : otherwise);
	u->unsubscribed = gsl_rng_uniform(rng) < pu;
	u->revenue_cents = 0;
	if (u->converted) {
		double sd = spec->revenue_log_sd;
		double mu = log(in->revenue_mean) - sd * sd / 2;
		double revenue = sd > 0 ? gsl_ran_lognormal(rng, mu, sd) : exp(mu);
		u->revenue_cents = (uint64_t)llround(revenue * 100.0);
	}
	u->consent = gsl_rng_uniform(rng) < spec->consent_rate;
	u->device_mobile = gsl_rng_uniform(rng) < 0.45;
}

/* A metric cell: blank with the missing rate. */
static void put_flag(row_writer *w, gsl_rng *rng, double missing, int value)
{
	comma(w);
	if (missing > 0 && gsl_rng_uniform(rng) < missing)
		return;
	w->line[w->length++] = value ? '1' : '0';
}

static void write_session(const tact_sim_spec *spec, row_writer *w,
                          gsl_rng *rng, uint64_t unit, size_t intent,
                          const unit_outcome *u, int converted, int bounced,
                          int unsubscribed, uint64_t cents,
                          unsigned long exposures)
{
	const double missing = spec->missing_rate;

	if (spec->sessions_mean > 1) {
		put_text(w, "v");
		put_uint(w, unit + 1);
		comma(w);
	}
	put_text(w, spec->intents[intent].name);
	comma(w);
	put_text(w, u->device_mobile ? "mobile" : "desktop");
	comma(w);
	put_text(w, spec->arms[u->arm].name);
	put_flag(w, rng, missing, converted);
	put_flag(w, rng, missing, bounced);
	put_flag(w, rng, missing, unsubscribed);
	comma(w);
	if (!(missing > 0 && gsl_rng_uniform(rng) < missing))
		put_cents(w, cents);
	comma(w);
	if (!(missing > 0 && gsl_rng_uniform(rng) < missing))
		put_uint(w, exposures);
	comma(w);
	w->line[w->length++] = u->consent ? '1' : '0';
	if (spec->behaviour) {
		comma(w);
		put_uint(w, u->pages);
		comma(w);
		w->line[w->length++] = u->cart ? '1' : '0';
		comma(w);
		put_text(w, referrers[u->referrer]);
	}
	if (spec->identifiers) {
		/* Fake but realistic direct identifiers, for privacy tests. */
		comma(w);
		put_text(w, "user");
		put_uint(w, unit + 1);
		put_text(w, "@example.com,+33 6 ");
		put_uint(w, 10000000 + unit % 90000000);
		put_text(w, ",10.");
		put_uint(w, (unit >> 16) & 255);
		put_text(w, ".");
		put_uint(w, (unit >> 8) & 255);
		put_text(w, ".");
		put_uint(w, unit & 255);
	}
	if (spec->days) {
		comma(w);
		put_text(w, w->time);
	}
	end_row(w);
}

/* --days: the time of a session on day (from the first) into w, drawn
 * from the generator of times (apart, so that the other columns do not
 * change with --days). */
static void session_time(row_writer *w, gsl_rng *times, int64_t first,
                         unsigned long day)
{
	char date[TACT_PERIOD_LABEL_MAX];
	unsigned long second = gsl_rng_uniform_int(times, 86400);

	tact_period_label(TACT_PERIOD_DAY, first + (int64_t)day, date);
	snprintf(w->time, sizeof w->time, "%sT%02lu:%02lu:%02luZ", date,
	         second / 3600, second / 60 % 60, second % 60);
}

/* The visitors' truth (tact_simulate_visitors): per intent and arm the
 * gain over the control, and the second generator of the behaviour. */
typedef struct visitor_truth {
	FILE *out;
	gsl_rng *rng;
	double *gains;      /* intent_count x arm_count */
	double *posterior;  /* intent_count */
	size_t control;
} visitor_truth;

static tact_status visitor_truth_start(const tact_sim_spec *spec, FILE *out,
                                       visitor_truth *v, tact_error *error);
static void visitor_truth_end(visitor_truth *v);

/* Draw u's behaviour (its intent's law) and write its truth row. */
static void visitor_row(const tact_sim_spec *spec, visitor_truth *v,
                        uint64_t unit, unit_outcome *u)
{
	const tact_sim_intent *in = &spec->intents[u->intent];
	size_t i, a;

	if (spec->behaviour) {
		u->pages = gsl_ran_poisson(v->rng, in->pages_mean);
		u->cart = gsl_rng_uniform(v->rng) < in->cart_rate;
		{
			double r = gsl_rng_uniform(v->rng) *
			           (in->referrer[0] + in->referrer[1] +
			            in->referrer[2] + in->referrer[3]);
			for (u->referrer = 0; u->referrer < 3; u->referrer++) {
				r -= in->referrer[u->referrer];
				if (r < 0)
					break;
			}
		}
	}
	if (!v->out)
		return;
	if (spec->behaviour) {
		/* P(intent | behaviour), Bayes' rule over the intents' laws. */
		double total = 0;
		for (i = 0; i < spec->intent_count; i++) {
			const tact_sim_intent *j = &spec->intents[i];
			double rsum = j->referrer[0] + j->referrer[1] + j->referrer[2] +
			              j->referrer[3];
			v->posterior[i] = j->share *
			                  gsl_ran_poisson_pdf(u->pages, j->pages_mean) *
			                  (u->cart ? j->cart_rate : 1 - j->cart_rate) *
			                  j->referrer[u->referrer] / rsum;
			total += v->posterior[i];
		}
		for (i = 0; i < spec->intent_count; i++)
			v->posterior[i] = total > 0 ? v->posterior[i] / total : 0;
	} else {
		for (i = 0; i < spec->intent_count; i++)
			v->posterior[i] = i == u->intent;
	}
	fprintf(v->out, "%llu,", (unsigned long long)unit + 1);
	tact_format_csv_data_string(v->out, in->name, ',');
	for (a = 0; a < spec->arm_count; a++) {
		double expected = 0;
		if (a == v->control)
			continue;
		for (i = 0; i < spec->intent_count; i++)
			expected += v->posterior[i] * v->gains[i * spec->arm_count + a];
		putc(',', v->out);
		tact_format_csv_number(v->out,
		                       v->gains[u->intent * spec->arm_count + a]);
		putc(',', v->out);
		tact_format_csv_number(v->out, expected);
	}
	putc('\n', v->out);
}

tact_status tact_simulate(const tact_sim_spec *spec, FILE *out,
                          tact_error *error)
{
	return tact_simulate_visitors(spec, out, NULL, error);
}

/* A visitor of several sessions (spec->sessions_mean > 1): its outcomes
 * spread over them, each event in one session, exposures split
 * binomially; later sessions on the first's day or after. */
static void write_sessions(const tact_sim_spec *spec, row_writer *w,
                           gsl_rng *rng, gsl_rng *times,
                           const gsl_ran_discrete_t *intents,
                           int64_t first_day, unsigned long day,
                           uint64_t unit, const unit_outcome *u)
{
	unsigned sessions = 1 + gsl_ran_poisson(rng, spec->sessions_mean - 1);
	unsigned convert_in = (unsigned)gsl_rng_uniform_int(rng, sessions);
	unsigned bounce_in = (unsigned)gsl_rng_uniform_int(rng, sessions);
	unsigned unsubscribe_in = (unsigned)gsl_rng_uniform_int(rng, sessions);
	unsigned long left = u->exposures;
	unsigned s;

	for (s = 0; s < sessions; s++) {
		size_t intent = u->intent;
		unsigned long exposures;
		int bounced;

		if (s > 0 && gsl_rng_uniform(rng) < spec->intent_drift)
			intent = gsl_ran_discrete(rng, intents);
		/* Spread exposures: binomial share of what is left. */
		exposures = s + 1 == sessions
		                    ? left
		                    : gsl_ran_binomial(rng, 1.0 / (sessions - s),
		                                       (unsigned)left);
		left -= exposures;
		bounced = u->bounced &&
		          (s == bounce_in || gsl_rng_uniform(rng) < spec->repeat_rate);
		if (times && s > 0)
			session_time(w, times, first_day,
			             day + gsl_rng_uniform_int(times, spec->days - day));
		write_session(spec, w, rng, unit, intent, u,
		              u->converted && s == convert_in, bounced,
		              u->unsubscribed && s == unsubscribe_in,
		              u->converted && s == convert_in ? u->revenue_cents : 0,
		              exposures);
	}
}

tact_status tact_simulate_visitors(const tact_sim_spec *spec, FILE *out,
                                   FILE *visitors, tact_error *error)
{
	visitor_truth v;
	gsl_rng *rng, *times = NULL;
	int64_t first_day = 0;
	gsl_ran_discrete_t *intents = NULL, *arms = NULL;
	double *weights;
	row_writer w;
	uint64_t unit;
	size_t i;
	tact_status status = tact_sim_spec_check(spec, error);

	if (status != TACT_OK ||
	    (status = visitor_truth_start(spec, visitors, &v, error)) != TACT_OK)
		return status;
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	weights = malloc((spec->intent_count + spec->arm_count) * sizeof *weights);
	if (!rng || !weights) {
		gsl_rng_free(rng);
		free(weights);
		visitor_truth_end(&v);
		return tact_error_oom(error);
	}
	gsl_rng_set(rng, spec->seed);
	for (i = 0; i < spec->intent_count; i++)
		weights[i] = spec->intents[i].share;
	intents = gsl_ran_discrete_preproc(spec->intent_count, weights);
	for (i = 0; i < spec->arm_count; i++)
		weights[i] = spec->arms[i].share;
	arms = gsl_ran_discrete_preproc(spec->arm_count, weights);
	free(weights);
	if (!intents || !arms) {
		gsl_ran_discrete_free(intents);
		gsl_ran_discrete_free(arms);
		gsl_rng_free(rng);
		visitor_truth_end(&v);
		return tact_error_oom(error);
	}

	w.out = out;
	w.length = 0;
	w.time[0] = '\0';
	if (spec->days) {
		/* Times from a generator of their own (seeded apart). */
		times = gsl_rng_alloc(gsl_rng_mt19937);
		if (!times) {
			gsl_ran_discrete_free(intents);
			gsl_ran_discrete_free(arms);
			gsl_rng_free(rng);
			visitor_truth_end(&v);
			return tact_error_oom(error);
		}
		gsl_rng_set(times, spec->seed ^ 0x5eedUL);
		(void)tact_period_parse_day("2026-11-30", 10, &first_day);
	}
	fprintf(out, "%sintent,device,arm,converted,bounced,unsubscribed,revenue,"
	             "exposures,consent%s%s%s\n",
	        spec->sessions_mean > 1 ? "visitor_id," : "",
	        spec->behaviour ? ",pages_seen,cart,referrer" : "",
	        spec->identifiers ? ",email,phone,ip" : "",
	        spec->days ? ",time" : "");
	for (unit = 0; unit < spec->units && !ferror(out); unit++) {
		unit_outcome u;
		unsigned long day = 0;
		double fade = 1.0;
		if (times) {
			day = gsl_rng_uniform_int(times, spec->days);
			if (spec->fade_days > 0)
				fade = pow(0.5, (double)day / spec->fade_days);
			session_time(&w, times, first_day, day);
		}
		draw_unit(spec, rng, intents, arms, fade, &u);
		visitor_row(spec, &v, unit, &u);
		if (spec->sessions_mean <= 1) {
			write_session(spec, &w, rng, unit, u.intent, &u, u.converted,
			              u.bounced, u.unsubscribed, u.revenue_cents,
			              u.exposures);
			continue;
		}
		write_sessions(spec, &w, rng, times, intents, first_day, day, unit,
		               &u);
	}
	gsl_ran_discrete_free(intents);
	gsl_ran_discrete_free(arms);
	gsl_rng_free(rng);
	if (times)
		gsl_rng_free(times);
	visitor_truth_end(&v);
	if (ferror(out) || (visitors && ferror(visitors)))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the export");
	return TACT_OK;
}

/* ---- the truth ----------------------------------------------------- */

/* Expected rates at a Poisson(mean) dose: sum over the Poisson mass. */
static void expected_rates(const tact_sim_intent *in, double mean,
                           double rates[3])
{
	unsigned long e, top;
	int k;

	for (k = 0; k < 3; k++)
		rates[k] = 0;
	if (mean <= 0) {
		for (k = 0; k < 3; k++)
			rates[k] = rate_at(in, k, 0);
		return;
	}
	top = (unsigned long)(mean + 40 * sqrt(mean) + 60);
	for (e = 0; e <= top; e++) {
		double mass = gsl_ran_poisson_pdf((unsigned)e, mean);
		for (k = 0; k < 3; k++)
			rates[k] += mass * rate_at(in, k, (double)e);
	}
}

typedef struct truth_row {
	double share, rates[3], revenue, exposures, net;
} truth_row;

static double net_value(const tact_sim_spec *spec, const double rates[3],
                        double revenue)
{
	return spec->weights[0] * rates[0] + spec->weights[1] * rates[1] +
	       spec->weights[2] * rates[2] + spec->weights[3] * revenue;
}

static void put_number(FILE *out, double value)
{
	putc(',', out);
	tact_format_csv_number(out, value);
}

/* The truth of each intent and arm, rows[i * arm_count + a], and of each
 * arm pooled over the intents by their shares, pooled[a]. */
static void truth_rows(const tact_sim_spec *spec, truth_row *rows,
                       truth_row *pooled)
{
	double intent_total = 0;
	size_t i, a;

	for (i = 0; i < spec->intent_count; i++)
		intent_total += spec->intents[i].share;
	for (i = 0; i < spec->intent_count; i++) {
		const tact_sim_intent *in = &spec->intents[i];
		double share = in->share / intent_total;
		for (a = 0; a < spec->arm_count; a++) {
			truth_row *r = &rows[i * spec->arm_count + a];
			int k;
			r->share = share;
			expected_rates(in, spec->arms[a].exposure_mean, r->rates);
			r->revenue = r->rates[0] * in->revenue_mean;
			r->exposures = spec->arms[a].exposure_mean;
			r->net = net_value(spec, r->rates, r->revenue);
			pooled[a].share += share;
			for (k = 0; k < 3; k++)
				pooled[a].rates[k] += share * r->rates[k];
			pooled[a].revenue += share * r->revenue;
			pooled[a].exposures += share * r->exposures;
			pooled[a].net += share * r->net;
		}
	}
}

/* An intent's best exposure count (0 to cap_max), its net value there
 * and at zero exposures. */
typedef struct best_cap {
	unsigned cap;
	double best, at_zero;
} best_cap;

static best_cap optimal_cap(const tact_sim_spec *spec,
                            const tact_sim_intent *in)
{
	best_cap b = {0, -INFINITY, 0};
	unsigned e;

	for (e = 0; e <= spec->cap_max; e++) {
		double r[3], v;
		int k;
		for (k = 0; k < 3; k++)
			r[k] = rate_at(in, k, e);
		v = net_value(spec, r, r[0] * in->revenue_mean);
		if (e == 0)
			b.at_zero = v;
		if (v > b.best) {
			b.best = v;
			b.cap = e;
		}
	}
	return b;
}

/* One line of the truth: arm a's row r of intent in (NULL: pooled over
 * the intents, with best NULL), against base, the control's row. */
static void put_truth_row(FILE *out, const tact_sim_spec *spec,
                          const tact_sim_intent *in, size_t a,
                          const truth_row *r, const truth_row *base,
                          double arm_total, const best_cap *best)
{
	const double m = spec->sessions_mean;

	tact_format_csv_data_string(out, in ? in->name : "(all)", ',');
	putc(',', out);
	tact_format_csv_data_string(out, spec->arms[a].name, ',');
	put_number(out, r->share);
	put_number(out, spec->arms[a].share / arm_total);
	put_number(out, r->rates[0]);
	put_number(out, r->rates[1]);
	put_number(out, r->rates[2]);
	put_number(out, r->revenue);
	put_number(out, r->exposures);
	put_number(out, r->net);
	put_number(out, r->rates[0] - base->rates[0]);
	put_number(out, r->rates[1] - base->rates[1]);
	put_number(out, r->rates[2] - base->rates[2]);
	put_number(out, r->revenue - base->revenue);
	put_number(out, r->net - base->net);
	/* Per session: a visitor's conversion, unsubscription and revenue
	 * fall in one of m sessions on average; a bounce repeats in the
	 * others with the repeat rate. */
	put_number(out, r->rates[0] / m);
	put_number(out, r->rates[1] * (1 + (m - 1) * spec->repeat_rate) / m);
	put_number(out, r->rates[2] / m);
	put_number(out, r->revenue / m);
	if (in) {
		put_number(out, best->cap);
		put_number(out, best->best);
		put_number(out, best->at_zero);
		put_number(out, in->base[0]);
		put_number(out, in->slope[0]);
		put_number(out, in->base[1]);
		put_number(out, in->slope[1]);
		put_number(out, in->base[2]);
		put_number(out, in->slope[2]);
		put_number(out, in->revenue_mean);
	} else {
		fputs(",,,,,,,,,,", out);
	}
	putc('\n', out);
}

static tact_status visitor_truth_start(const tact_sim_spec *spec, FILE *out,
                                       visitor_truth *v, tact_error *error)
{
	truth_row *rows;
	size_t i, a;

	memset(v, 0, sizeof *v);
	v->out = out;
	if (!out && !spec->behaviour)
		return TACT_OK;
	/* Its own stream: the export's draws stay those of a run without. */
	v->rng = gsl_rng_alloc(gsl_rng_mt19937);
	rows = calloc((spec->intent_count + 1) * spec->arm_count, sizeof *rows);
	v->gains = calloc(spec->intent_count * spec->arm_count, sizeof *v->gains);
	v->posterior = calloc(spec->intent_count, sizeof *v->posterior);
	if (!v->rng || !rows || !v->gains || !v->posterior) {
		free(rows);
		visitor_truth_end(v);
		return tact_error_oom(error);
	}
	gsl_rng_set(v->rng, spec->seed ^ 0x5bd1e995UL);
	for (a = 0; a < spec->arm_count; a++)
		if (strcmp(spec->arms[a].name, spec->control) == 0)
			v->control = a;
	truth_rows(spec, rows, rows + spec->intent_count * spec->arm_count);
	for (i = 0; i < spec->intent_count; i++)
		for (a = 0; a < spec->arm_count; a++)
			v->gains[i * spec->arm_count + a] =
				rows[i * spec->arm_count + a].net -
				rows[i * spec->arm_count + v->control].net;
	free(rows);
	if (out) {
		fputs("visitor,intent", out);
		for (a = 0; a < spec->arm_count; a++) {
			if (a == v->control)
				continue;
			fputs(",gain_", out);
			tact_format_csv_data_string(out, spec->arms[a].name, ',');
			fputs(",expected_gain_", out);
			tact_format_csv_data_string(out, spec->arms[a].name, ',');
		}
		putc('\n', out);
	}
	return TACT_OK;
}

static void visitor_truth_end(visitor_truth *v)
{
	gsl_rng_free(v->rng);
	free(v->gains);
	free(v->posterior);
	memset(v, 0, sizeof *v);
}

tact_status tact_simulate_truth(const tact_sim_spec *spec, FILE *out,
                                tact_error *error)
{
	tact_status status = tact_sim_spec_check(spec, error);
	truth_row *rows, *pooled;
	size_t i, a, control = 0;
	double arm_total = 0;

	if (status != TACT_OK)
		return status;
	rows = calloc((spec->intent_count + 1) * spec->arm_count, sizeof *rows);
	if (!rows)
		return tact_error_oom(error);
	pooled = rows + spec->intent_count * spec->arm_count;
	for (a = 0; a < spec->arm_count; a++)
		if (strcmp(spec->arms[a].name, spec->control) == 0)
			control = a;
	for (a = 0; a < spec->arm_count; a++)
		arm_total += spec->arms[a].share;
	truth_rows(spec, rows, pooled);

	fputs("intent,arm,intent_share,arm_share,converted,bounced,unsubscribed,"
	      "revenue,exposures,net_value,diff_converted,diff_bounced,"
	      "diff_unsubscribed,diff_revenue,diff_net_value,session_converted,"
	      "session_bounced,session_unsubscribed,session_revenue,optimal_cap,"
	      "net_value_at_cap,net_value_at_zero,base_converted,slope_converted,"
	      "base_bounced,slope_bounced,base_unsubscribed,slope_unsubscribed,"
	      "revenue_per_converter\n", out);
	/* Each intent, then the intents pooled (i == intent_count). */
	for (i = 0; i <= spec->intent_count; i++) {
		const int is_pooled = i == spec->intent_count;
		const tact_sim_intent *in = is_pooled ? NULL : &spec->intents[i];
		const truth_row *row = is_pooled ? pooled : &rows[i * spec->arm_count];
		best_cap best;

		if (in)
			best = optimal_cap(spec, in);
		for (a = 0; a < spec->arm_count; a++)
			put_truth_row(out, spec, in, a, &row[a], &row[control],
			              arm_total, in ? &best : NULL);
	}
	free(rows);
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the truth");
	return TACT_OK;
}
