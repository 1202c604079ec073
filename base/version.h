/* base/version.h - program version; CN_GIT_COMMIT comes from the Makefile. */
#ifndef CN_VERSION_H
#define CN_VERSION_H
#define CN_VERSION "0.1.0"
#ifndef CN_GIT_COMMIT
#define CN_GIT_COMMIT "unknown"
#endif
#endif
