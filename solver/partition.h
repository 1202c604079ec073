/* solver/partition.h - partition sites into parts for the decomposition. */
#ifndef CN_PARTITION_H
#define CN_PARTITION_H

#include "../core/derive.h"

enum cn_part_method { CN_PART_METIS = 0, CN_PART_HUB = 1, CN_PART_FILE = 2 };

/* part[s] in 0..*nparts-1 for every site.  For METIS, nparts_req is the
 * number of parts asked for (clamped to the number of sites); for HUB the
 * parts are the hubs in row order plus one part for the sites outside any
 * hub; for FILE, path is a CSV "site,part" (part ids 0..P-1, every site once).
 * Deterministic.  Not collective (every rank computes the same answer).
 * Returns CN_OK, CN_EDATA (bad file: diagnostics recorded), CN_ENOINPUT or
 * CN_ESOFTWARE (METIS failure). */
int cn_partition(const cn_derived *d, int method, int nparts_req, const char *path,
                 int *part, int *nparts);

const char *cn_partition_name(int method);

#endif
