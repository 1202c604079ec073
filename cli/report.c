/* cli/report.c - the common way a subcommand reports its failure. */
#include "../base/err.h"
#include "../base/log.h"
#include "cmd.h"

void cmd_report_failure(int rc)
{
    if (rc == CN_OK)
        return;
    if (cn_diag_count() > 0)
        cn_diag_print(stderr);
    else if (cn_err_message()[0])
        cn_log(CN_LOG_ERROR, "%s", cn_err_message());
}
