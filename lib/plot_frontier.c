/* plot_frontier.c - stub */
#include "plot_script.h"
#include "plot_table.h"

tact_status tact_plot_build_frontier(const tact_plot_table *table,
                               const tact_plot_options *options,
                               tact_plot_script *script, tact_error *error)
{
	(void)table; (void)options; (void)script;
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "not yet");
}
