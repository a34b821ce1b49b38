#include "util/log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_format format = LOG_TEXT;

void log_set_format(enum log_format f)
{
    format = f;
}

int64_t clock_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A line being built, cut (never overflowed) at its size. */
struct line {
    char buf[2048];
    size_t n;
};

static void put(struct line *l, const char *s, size_t len)
{
    size_t room = sizeof l->buf - 2 - l->n; /* keep room for '\n' and NUL */
    if (len > room)
        len = room;
    memcpy(l->buf + l->n, s, len);
    l->n += len;
}

static void puts_(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* s escaped as JSON string content: also right for the text format's quoted values. */
static void put_escaped(struct line *l, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        char e[8];
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            put(l, e, 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(e, sizeof e, "\\u%04x", c);
            put(l, e, 6);
        } else
            put(l, (const char *)s, 1);
    }
}

/* A text value: bare when it has no space, quote or control character, else quoted. */
static void put_text_value(struct line *l, const char *s)
{
    int bare = s && *s;
    for (const char *p = s; bare && *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
            bare = 0;
    if (bare) {
        puts_(l, s);
        return;
    }
    puts_(l, "\"");
    put_escaped(l, s);
    puts_(l, "\"");
}

static void start(struct line *l, const char *level)
{
    struct timespec ts;
    struct tm tm;
    char t[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
    l->n = 0;
    if (format == LOG_JSON) {
        puts_(l, "{\"time\":\"");
        puts_(l, t);
        puts_(l, "\",\"level\":\"");
        put_escaped(l, level);
        puts_(l, "\"");
    } else {
        puts_(l, t);
        puts_(l, " ");
        puts_(l, level);
    }
}

static void finish(struct line *l)
{
    if (format == LOG_JSON)
        puts_(l, "}");
    l->buf[l->n++] = '\n';
    fwrite(l->buf, 1, l->n, stderr); /* one write: lines of threads do not interleave */
}

/* One field: ,"key":"value" (json) or  key=value (text). */
static void field(struct line *l, const char *key, const char *value)
{
    if (format == LOG_JSON) {
        puts_(l, ",\"");
        puts_(l, key);
        puts_(l, "\":\"");
        put_escaped(l, value);
        puts_(l, "\"");
    } else {
        puts_(l, " ");
        puts_(l, key);
        puts_(l, "=");
        put_text_value(l, value);
    }
}

static void field_num(struct line *l, const char *key, int64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, v);
    if (format == LOG_JSON) {
        puts_(l, ",\"");
        puts_(l, key);
        puts_(l, "\":");
        puts_(l, num);
    } else
        field(l, key, num);
}

void log_msg(const char *level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct line l;
    start(&l, level);
    if (format == LOG_JSON)
        field(&l, "msg", msg);
    else {
        /* the message as written, but never a second line */
        puts_(&l, " ");
        for (char *c = msg; *c; c++)
            if ((unsigned char)*c < 0x20)
                *c = ' ';
        puts_(&l, msg);
    }
    finish(&l);
}

void log_access(const char *client, const char *method, const char *path, int status, size_t bytes,
                int64_t us, int aborted)
{
    struct line l;
    start(&l, "access");
    field(&l, "client", client && *client ? client : "-");
    field(&l, "method", method);
    field(&l, "path", path);
    field_num(&l, "status", status);
    field_num(&l, "bytes", (int64_t)bytes);
    field_num(&l, "us", us);
    if (aborted)
        field(&l, "aborted", "true");
    finish(&l);
}
