/*
 * tact-simulate - synthetic exports with known true effects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "simulate.h"

static const char usage[] =
	"Usage: tact-simulate [OPTION]...\n"
	"Write a synthetic experiment export with known true effects to standard\n"
	"output (or -o FILE), and its truth to --truth FILE.  Deterministic for a\n"
	"seed; constant memory whatever the number of rows.  The defaults tell the\n"
	"story of personalization: it lifts conversion for buyers (up to about 8\n"
	"exposures) and bounce and unsubscription for browsers.  The model is in\n"
	"tact-simulate(1).\n"
	"\n"
	"  -n, --rows N             units (visitors) to simulate [20000]\n"
	"  -s, --seed N             random seed [1]\n"
	"      --intents LIST       NAME=SHARE,... [browse=0.4,buy=0.2,research=0.25,unknown=0.15]\n"
	"      --arms LIST          NAME=SHARE,... [control=0.5,personalized=0.5]\n"
	"      --control NAME       the arm without personalization [control]\n"
	"      --exposure-mean LIST ARM=MEAN,...: Poisson mean of exposures [4; control 0]\n"
	"      --rate LIST          OUTCOME:INTENT=BASE[/SLOPE],...: the rate at zero\n"
	"                           exposures and its log-odds slope per log(1 + exposures)\n"
	"      --revenue LIST       INTENT=MEAN,...: mean revenue of a converter\n"
	"      --revenue-sd X       spread of log revenue [0.6]\n"
	"      --consent-rate X     share of rows with consent [0.97]\n"
	"      --missing-rate X     share of metric cells left empty [0]\n"
	"      --sessions-mean X    sessions per visitor; above 1 adds visitor_id [1]\n"
	"      --repeat-rate X      a bounce repeats in a visitor's other sessions [0.5]\n"
	"      --intent-drift X     a later session shows another intent [0.3]\n"
	"      --identifiers        add fake email, phone and ip columns (privacy tests)\n"
	"      --behaviour          add pages_seen, cart and referrer: behaviour before\n"
	"                           exposure whose law depends on the intent\n"
	"      --days N             spread visitors over N days from 2026-11-30: a\n"
	"                           time column (UTC timestamps), last [none]\n"
	"      --fade H             with --days: the exposures' effect halves every H\n"
	"                           days, a novelty that fades (the truth: day 0's)\n"
	"      --weights LIST       outcome values for the truth's net value\n"
	"                           [converted=40,bounced=-0.5,unsubscribed=-12,revenue=0]\n"
	"      --truth FILE         write the exact truth (CSV) to FILE\n"
	"      --visitor-truth FILE each visitor's gain from personalization, and its\n"
	"                           expectation given the behaviour (CSV), to FILE\n"
	"  -o, --output FILE        write the export to FILE [stdout]\n"
	"      --help               show this help and exit\n"
	"      --version            show the version and exit\n"
	"\n"
	"Exit status: 0 success, 64 usage, 73 cannot create output, 74 I/O error.\n";

enum {
	OPT_INTENTS = CLI_FIRST_TOOL_OPTION, OPT_ARMS, OPT_EXPOSURE_MEAN, OPT_RATE,
	OPT_REVENUE, OPT_REVENUE_SD, OPT_CONSENT_RATE, OPT_MISSING_RATE,
	OPT_SESSIONS_MEAN, OPT_REPEAT_RATE, OPT_INTENT_DRIFT, OPT_IDENTIFIERS,
	OPT_WEIGHTS, OPT_TRUTH, OPT_CONTROL, OPT_BEHAVIOUR, OPT_VISITOR_TRUTH,
	OPT_DAYS, OPT_FADE
};

/* The export to output and, when asked, the truth and the visitors'
 * truth: all or none. */
static void write_files(const char *output, const char *truth,
                        const char *visitors, const tact_sim_spec *spec)
{
	tact_outfile outs[3];
	tact_error error;
	tact_status status = TACT_OK;
	size_t count = 1;
	FILE *visitor_stream = NULL;

	tact_error_init(&error);
	cli_output_open(&outs[0], output);
	if (truth) {
		cli_output_open(&outs[count], truth);
		status = tact_simulate_truth(spec, outs[count++].stream, &error);
	}
	if (visitors) {
		cli_output_open(&outs[count], visitors);
		visitor_stream = outs[count++].stream;
	}
	/* Large writes: a big buffer halves the time spent in stdio. */
	setvbuf(outs[0].stream, NULL, _IOFBF, 1 << 20);
	if (status == TACT_OK)
		status = tact_simulate_visitors(spec, outs[0].stream, visitor_stream,
		                                &error);
	cli_outputs_close(outs, count, status, &error);
}

/* --control NAME: rename the current control arm, unless NAME is already
 * an arm; either way NAME is the control. */
static void rename_control(tact_sim_spec *spec, const char *name)
{
	char *copy = strdup(name);
	size_t a;

	if (!copy || !*copy)
		cli_usage_error("--control needs a name");
	for (a = 0; a < spec->arm_count; a++)
		if (strcmp(spec->arms[a].name, copy) == 0)
			break;
	if (a == spec->arm_count)
		for (a = 0; a < spec->arm_count; a++)
			if (strcmp(spec->arms[a].name, spec->control) == 0) {
				free(spec->arms[a].name);
				spec->arms[a].name = strdup(copy);
			}
	free(spec->control);
	spec->control = copy;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"rows", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		CLI_OUTPUT_OPTION,
		{"intents", required_argument, NULL, OPT_INTENTS},
		{"arms", required_argument, NULL, OPT_ARMS},
		{"control", required_argument, NULL, OPT_CONTROL},
		{"exposure-mean", required_argument, NULL, OPT_EXPOSURE_MEAN},
		{"rate", required_argument, NULL, OPT_RATE},
		{"revenue", required_argument, NULL, OPT_REVENUE},
		{"revenue-sd", required_argument, NULL, OPT_REVENUE_SD},
		{"consent-rate", required_argument, NULL, OPT_CONSENT_RATE},
		{"missing-rate", required_argument, NULL, OPT_MISSING_RATE},
		{"sessions-mean", required_argument, NULL, OPT_SESSIONS_MEAN},
		{"repeat-rate", required_argument, NULL, OPT_REPEAT_RATE},
		{"intent-drift", required_argument, NULL, OPT_INTENT_DRIFT},
		{"identifiers", no_argument, NULL, OPT_IDENTIFIERS},
		{"weights", required_argument, NULL, OPT_WEIGHTS},
		{"truth", required_argument, NULL, OPT_TRUTH},
		{"behaviour", no_argument, NULL, OPT_BEHAVIOUR},
		{"visitor-truth", required_argument, NULL, OPT_VISITOR_TRUTH},
		{"days", required_argument, NULL, OPT_DAYS},
		{"fade", required_argument, NULL, OPT_FADE},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *truth = NULL, *visitors = NULL, *flag;
	cli_options cli;
	tact_sim_spec spec;
	tact_error error;
	int option;

	cli_options_init(&cli, "tact-simulate", usage, NULL);
	tact_error_init(&error);
	if (tact_sim_spec_init(&spec, &error) != TACT_OK)
		cli_fail(&error);
	while ((option = cli_next(&cli, argc, argv, "n:s:o:", options)) != -1) {
		switch (option) {
		case 'n':
			spec.units = (unsigned long long)cli_count("rows", optarg);
			break;
		case 's':
			spec.seed = (unsigned long)cli_count("seed", optarg);
			break;
		case OPT_CONTROL:
			rename_control(&spec, optarg);
			break;
		case OPT_INTENTS: flag = "intents"; goto set;
		case OPT_ARMS: flag = "arms"; goto set;
		case OPT_EXPOSURE_MEAN: flag = "exposure-mean"; goto set;
		case OPT_RATE: flag = "rate"; goto set;
		case OPT_REVENUE: flag = "revenue"; goto set;
		case OPT_WEIGHTS: flag = "weights";
		set:
			cli_value(flag, tact_sim_spec_set(&spec, flag, optarg, &error),
			          &error);
			break;
		case OPT_REVENUE_SD:
			spec.revenue_log_sd = cli_number("revenue-sd", optarg);
			break;
		case OPT_CONSENT_RATE:
			spec.consent_rate = cli_number("consent-rate", optarg);
			break;
		case OPT_MISSING_RATE:
			spec.missing_rate = cli_number("missing-rate", optarg);
			break;
		case OPT_SESSIONS_MEAN:
			spec.sessions_mean = cli_number("sessions-mean", optarg);
			break;
		case OPT_REPEAT_RATE:
			spec.repeat_rate = cli_number("repeat-rate", optarg);
			break;
		case OPT_INTENT_DRIFT:
			spec.intent_drift = cli_number("intent-drift", optarg);
			break;
		case OPT_IDENTIFIERS:
			spec.identifiers = 1;
			break;
		case OPT_TRUTH:
			truth = optarg;
			break;
		case OPT_BEHAVIOUR:
			spec.behaviour = 1;
			break;
		case OPT_VISITOR_TRUTH:
			visitors = optarg;
			break;
		case OPT_DAYS:
			spec.days = (unsigned)cli_count_within("days", optarg, 1, 3650);
			break;
		case OPT_FADE:
			spec.fade_days = cli_number_at_least("fade", optarg, 0.001);
			break;
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	if (spec.fade_days > 0 && !spec.days)
		cli_usage_error("--fade needs --days");
	if (tact_sim_spec_check(&spec, &error) != TACT_OK)
		cli_usage_error("%s", error.message);
	{
		const char *outputs[] = {cli.output, truth, visitors};
		cli_check_outputs(outputs, 3, NULL, 0);
	}
	write_files(cli.output, truth, visitors, &spec);
	tact_sim_spec_release(&spec);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
