/* io/reader.h - the readers' public API in one header: the scenario file
 * (io/scenario.h), the model tables (io/tables.h) and both in one call
 * (io/model_load.h).  The parsing rules they share are io/parse_util.h.
 *
 * Every rule of spec sections 1-3 is enforced.  Each violation is recorded
 * with cn_diag_add(FILE, LINE, COLUMN, ...) where FILE is the path of the file
 * as opened (scenario path as given; tables as MODEL_DIR/NAME.csv), LINE and
 * COLUMN are 1-based (COLUMN = the 1-based field number in a CSV row, the
 * 1-based character column in YAML).  Reading goes on after a violation so
 * that all problems of a run are reported (up to CN_DIAG_MAX).
 */
#ifndef CN_READER_H
#define CN_READER_H

#include "model_load.h"
#include "scenario.h"
#include "tables.h"

#endif
