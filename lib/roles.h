/*
 * roles.h - which column plays which part: arm, segments, metrics, consent,
 * unit.  Roles are named by the analyst (the --arm, --by, --goal, ... flags)
 * or take DESIGN's defaults, and are resolved against a header row.
 *
 * Defaults: arm "arm", control "control", segments "intent", goal
 * "converted", annoyance "bounced,unsubscribed", value "revenue", exposures
 * "exposures", consent "consent", unit "visitor_id".  A role the analyst
 * named must exist in the header.  Of the defaults, the arm and the segment
 * columns must exist; the metric, consent and unit defaults are used when
 * present and skipped when absent or when their column already plays
 * another role.  The default segment column 'intent', absent, means no
 * segments (segments_absent in the map says so).  At least one metric must
 * be found.
 * An empty value ("--by ''", "--annoyance ''") means none.
 */
#ifndef TACT_ROLES_H
#define TACT_ROLES_H

#include <stddef.h>

#include "cap.h"
#include "error.h"

#define TACT_NO_COLUMN ((size_t)-1)

/* The part a metric plays, which fixes its direction and its unit rule. */
typedef enum tact_role {
	TACT_ROLE_GOAL,      /* higher is better; 0/1 or a number */
	TACT_ROLE_ANNOYANCE, /* lower is better; 0/1 or a number */
	TACT_ROLE_VALUE,     /* higher is better; a number (revenue) */
	TACT_ROLE_EXPOSURES, /* a non-negative count; no direction */
	TACT_ROLE_COVARIATE  /* a pre-experiment number adjusting metrics
	                        (CUPED, cuped.h): never compared; placed after
	                        every other metric; a missing cell counts as 0 */
} tact_role;

/* "goal", "annoyance", "value", "exposures", "covariate". */
const char *tact_role_name(tact_role role);

/* The role named name; returns 0, or -1 when unknown. */
int tact_role_parse(const char *name, tact_role *role);

typedef struct tact_names {
	size_t count;
	char **items;
} tact_names;

typedef struct tact_roles_spec {
	char *arm, *control, *exposures, *consent, *unit;
	tact_names by, goal, annoyance, value;
	tact_names by_bins;  /* per --by column: its bins as written (bins.h,
	                        "0,1-29,30-" or "quantiles:K"), "" for none */
	/* 1 when named by the analyst (then the column must exist). */
	int arm_set, control_set, exposures_set, consent_set, unit_set;
	int by_set, goal_set, annoyance_set, value_set;
	tact_caps caps;   /* --cap METRIC=NUMBER|pQ, repeatable (cap.h); applied
	                     by the loader, not resolved here */
	tact_names covariates; /* --covariate METRIC=COLUMN, repeatable, as
	                          given (checked when set) */
} tact_roles_spec;

/* Fill spec with the defaults.  Release with tact_roles_spec_release. */
tact_status tact_roles_spec_init(tact_roles_spec *spec, tact_error *error);
void tact_roles_spec_release(tact_roles_spec *spec);

/*
 * Set one role from a flag's name without dashes ("arm", "control", "by",
 * "goal", "annoyance", "value", "exposures", "consent", "unit", "cap",
 * "covariate") and its value (a comma-separated list for
 * by/goal/annoyance/value; one METRIC=NUMBER or METRIC=pQ for cap, which
 * adds to the caps given before; one METRIC=COLUMN for covariate, which
 * adds too: a metric takes one covariate, a covariate may serve several
 * metrics).
 * A --by item may be binned, COL=BINS (bins.h): the items after it that
 * start with a digit continue its bins ("visits=0,1-29,30-,device").
 * Errors: TACT_USAGE for an unknown role, an empty name inside a list, a
 * bad cap (tact_caps_add), bad bins, a covariate not METRIC=COLUMN or
 * given twice for a metric.
 */
tact_status tact_roles_spec_set(tact_roles_spec *spec, const char *role,
                                const char *value, tact_error *error);

/* Split "a,b,c" into names (empty text gives none).  Returns TACT_USAGE for
 * an empty item ("a,,b"). */
tact_status tact_names_parse(tact_names *names, const char *text,
                             tact_error *error);
void tact_names_release(tact_names *names);

/* The columns of one header, resolved. */
typedef struct tact_column_map {
	size_t columns;              /* fields in the header */
	size_t arm;                  /* column of the arm */
	char *arm_name;
	size_t dimensions;           /* segment dimensions */
	size_t *dimension_columns;
	char **dimension_names;
	char **dimension_bins;       /* per dimension: its bins as written, or
	                                NULL when not binned */
	size_t metrics;              /* goal, then annoyance, value, exposures,
	                                covariates */
	size_t *metric_columns;
	char **metric_names;
	tact_role *metric_roles;
	size_t *metric_covariate;    /* per metric: the metric index of its
	                                covariate, or TACT_NO_COLUMN; NULL
	                                without --covariate */
	size_t consent;              /* TACT_NO_COLUMN when absent */
	size_t unit;                 /* TACT_NO_COLUMN when absent */
	char *unit_name;
	int segments_absent;         /* the default segment column 'intent' is
	                                absent: no segments (a plain A/B export) */
} tact_column_map;

/*
 * Resolve spec against a header (fields[0..count), names as in the file).
 * file names the input for messages (header = line 1).  Errors (TACT_DATA):
 * a named column absent, a required default absent, a column given two
 * roles, no metric at all (these gathered into one message that lists
 * every one, then the header), a role column appearing twice in the
 * header, a metric name holding ':', a --covariate naming no compared
 * metric of the header.
 */
tact_status tact_roles_resolve(const tact_roles_spec *spec,
                               char *const *fields, const size_t *lengths,
                               size_t count, const char *file,
                               tact_column_map *map, tact_error *error);

void tact_column_map_release(tact_column_map *map);

#endif
