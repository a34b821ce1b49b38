/* Where the installed reference data (data/: jurisdictions, regions, templates) and the web UI
 * (web/) are, so that the binary works from any working directory (cron, systemd). */
#ifndef OT_UTIL_PATHS_H
#define OT_UTIL_PATHS_H

/* The data folder: $OTINISH_DATA when set, else <home>/data. The web UI: <home>/web. <home> is
 * the first of these that has data/jurisdictions: the installed tree beside the binary
 * (PREFIX/bin/otinish -> PREFIX/share/otinish, also under a DESTDIR), the repository of a
 * development build (build/otinish or build/san/otinish -> the repository root), and last the
 * compiled-in OT_PREFIX/share/otinish. A --data-dir or --web flag overrides these. The strings
 * are static, computed on the first call (the first call is not thread-safe: make it before
 * starting threads). */
const char *paths_data_dir(void);
const char *paths_web_dir(void);

#endif
