#ifndef OT_UTIL_VERSION_H
#define OT_UTIL_VERSION_H
#define OTINISH_VERSION "0.1.0"
#endif
