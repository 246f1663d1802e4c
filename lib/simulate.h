/*
 * simulate.h - synthetic exports with known true effects.
 *
 * The model (one unit = one visitor):
 *   - intent ~ categorical(intent shares); arm ~ categorical(arm shares);
 *   - exposures: 0 in the control arm, Poisson(arm's mean) in the others;
 *   - for each outcome k of converted, bounced, unsubscribed:
 *       p_k(e) = logistic(logit(base[intent][k]) + slope[intent][k] * log(1 + e)),
 *     so personalization acts through its dose;
 *   - bounced ~ Bernoulli(p_b); converted ~ Bernoulli(factor * p_c) after a
 *     bounce and Bernoulli(p_c (1 - factor p_b) / (1 - p_b)) otherwise, so
 *     that a visitor who bounced rarely converts while the marginal rate
 *     stays p_c exactly; unsubscribed ~ Bernoulli(p_u);
 *   - revenue: 0, or for a converter lognormal with the intent's mean;
 *   - consent ~ Bernoulli(consent rate); each metric cell blank with the
 *     missing rate; a device label (no effect) as a second segment;
 *   - with behaviour, what a visitor did before exposure, whose law
 *     depends on the intent: pages_seen, cart (0/1), referrer.
 * With sessions_mean > 1 a visitor has 1 + Poisson(sessions_mean - 1)
 * sessions (rows, with a visitor_id): the visitor's conversion and
 * unsubscription fall in one random session, the bounce in one and again
 * in each other session with the repeat rate, exposures are spread at
 * random, and later sessions may show another intent (the drift rate).
 *
 * The defaults tell DESIGN's story: personalization lifts conversion for
 * buyers (up to a point: the net value peaks near 8 exposures), and bounce
 * and unsubscription for browsers.
 *
 * The truth (tact_simulate_truth) is exact: per intent and arm (and pooled
 * over intents) the expected rates, means and net value, their differences
 * from control, and per intent the exposure count that maximizes the net
 * value.  Deterministic for a seed (GSL's MT19937); constant memory.
 */
#ifndef TACT_SIMULATE_H
#define TACT_SIMULATE_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define TACT_SIM_OUTCOMES 3 /* converted, bounced, unsubscribed */

typedef struct tact_sim_intent {
	char *name;
	double share;
	double base[TACT_SIM_OUTCOMES];  /* rate at zero exposures */
	double slope[TACT_SIM_OUTCOMES]; /* log-odds per unit of log(1 + e) */
	double revenue_mean;             /* mean revenue of a converter */
	/* Behaviour before exposure (--behaviour): pages_seen ~ Poisson(mean),
	 * cart ~ Bernoulli(rate), referrer ~ categorical(shares) over
	 * TACT_SIM_REFERRERS. */
	double pages_mean, cart_rate, referrer[4];
} tact_sim_intent;

#define TACT_SIM_REFERRERS "search", "social", "email", "direct"

typedef struct tact_sim_arm {
	char *name;
	double share;
	double exposure_mean;            /* 0 for the control */
} tact_sim_arm;

typedef struct tact_sim_spec {
	uint64_t units;
	unsigned long seed;
	size_t intent_count;
	tact_sim_intent *intents;
	size_t arm_count;
	tact_sim_arm *arms;
	char *control;                   /* the control arm's name */
	double revenue_log_sd;           /* spread of log revenue */
	double bounce_conversion_factor; /* P(convert | bounce) / p_c */
	double consent_rate;
	double missing_rate;
	double sessions_mean;            /* 1 = one row per visitor */
	double repeat_rate;              /* a bounce repeats in other sessions */
	double intent_drift;             /* later sessions show another intent */
	int identifiers;                 /* add email, phone and ip columns */
	int behaviour;                   /* add pages_seen, cart, referrer */
	double weights[4];               /* converted, bounced, unsubscribed,
	                                    revenue: for the truth's net value */
	unsigned cap_max;                /* largest exposure count for the cap */
	unsigned days;                   /* --days: spread visitors over this
	                                    many days from 2026-11-30 (a
	                                    Monday), a time column last; 0: no
	                                    time column */
	double fade_days;                /* --fade: the exposures' effect (on
	                                    the log-odds) halves every this many
	                                    days, a novelty that fades; 0: it
	                                    does not.  The truth is day 0's. */
} tact_sim_spec;

/* The defaults above.  Release with tact_sim_spec_release. */
tact_status tact_sim_spec_init(tact_sim_spec *spec, tact_error *error);
void tact_sim_spec_release(tact_sim_spec *spec);

/*
 * Set a part of the model from a flag (without dashes) and its value:
 *   intents   NAME=SHARE,...        (new names take the "unknown" profile)
 *   arms      NAME=SHARE,...        (exposure mean 4, 0 for the control)
 *   exposure-mean ARM=MEAN,...
 *   rate      OUTCOME:INTENT=BASE[/SLOPE],...
 *   revenue   INTENT=MEAN,...
 *   weights   converted=W,bounced=W,unsubscribed=W,revenue=W
 * TACT_USAGE with a message for anything malformed.
 */
tact_status tact_sim_spec_set(tact_sim_spec *spec, const char *flag,
                              const char *value, tact_error *error);

/* Bounds that keep a run finite: the truth sums the Poisson distribution
 * of exposures term by term and every session is a row, so a mean of 1e10
 * exposures or 1e300 sessions would never end. */
#define TACT_SIM_EXPOSURE_MEAN_MAX 10000
#define TACT_SIM_SESSIONS_MEAN_MAX 1000

/* Check the whole spec (shares positive, rates in (0,1), a control arm
 * present, intent and arm names of at most 100 bytes without quotes or
 * line breaks, exposure means up to TACT_SIM_EXPOSURE_MEAN_MAX, a sessions
 * mean from 1 to TACT_SIM_SESSIONS_MEAN_MAX, ...).  TACT_USAGE with a
 * message. */
tact_status tact_sim_spec_check(const tact_sim_spec *spec, tact_error *error);

/* Write the export as CSV.  TACT_IOERR when out fails. */
tact_status tact_simulate(const tact_sim_spec *spec, FILE *out,
                          tact_error *error);

/*
 * The same, and when visitors is not NULL each visitor's truth there (CSV,
 * one row per visitor in the export's order): visitor (1-based), intent,
 * then per arm other than the control gain_ARM (the net value the
 * visitor's intent gains in ARM over the control, at the spec's weights)
 * and expected_gain_ARM (its expectation given what --behaviour shows:
 * the intents' gains weighted by the posterior of the intent given
 * pages_seen, cart and referrer; the gain itself without --behaviour).
 * The best policy on the behaviour personalizes where expected_gain > 0.
 * The behaviour columns are drawn from a second generator, so the rest of
 * the export is the same with or without them.
 */
tact_status tact_simulate_visitors(const tact_sim_spec *spec, FILE *out,
                                   FILE *visitors, tact_error *error);

/* Write the truth as CSV (documented in man/tact-simulate.1). */
tact_status tact_simulate_truth(const tact_sim_spec *spec, FILE *out,
                                tact_error *error);

#endif
