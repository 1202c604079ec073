/* solver/lp_glpk.h - the GLPK adapter: the only module that includes <glpk.h>. */
#ifndef CN_LP_GLPK_H
#define CN_LP_GLPK_H

const char *cn_glpk_version(void);

#endif
