/* cli/report.c - the common way a subcommand reports its failure.
 *
 * People get the message: input diagnostics ("FILE:LINE:COLUMN: what is wrong"),
 * or the first line of the error, which names the file and the problem
 * ("results/base.h5 exists (use --force to overwrite)").  The traceback of
 * internal function names and source lines is for developers: it is printed
 * with -v (log level debug). */
#include "../base/err.h"
#include "../base/log.h"
#include "cmd.h"

void cmd_report_failure(int rc)
{
    if (rc == CN_OK)
        return;
    if (cn_diag_count() > 0) {
        cn_diag_print(stderr);
        return;
    }
    if (!cn_err_message()[0])
        return;
    if (cn_log_level() >= CN_LOG_DEBUG)
        cn_log(CN_LOG_ERROR, "%s", cn_err_message());
    else if (cn_err_brief()[0])
        cn_log(CN_LOG_ERROR, "%s", cn_err_brief());
    else
        cn_log(CN_LOG_ERROR, "%s (exit %d)", cn_err_code_text(rc), rc);
}
