/* The intake client of bench/failover.sh (issue 19 point 4): THREADS threads file portal
 * appeals (POST /api/v1/appeals) round-robin over the given nodes until the file STOP
 * exists, and print one line per request when they end:
 *
 *     START_MS END_MS STATUS RETRY_AFTER NUMBER
 *
 * START_MS and END_MS are wall-clock milliseconds, STATUS is the HTTP status (0: no answer
 * within 10 s or no connection; see the next field), RETRY_AFTER is the header's value ("-"
 * when absent; for STATUS 0 the curl error: timeout or connect), NUMBER is the number of an
 * acknowledged appeal (201) or "-". The script compares the acknowledged numbers with the
 * database after the failover. Built by bench/failover.sh itself (cc ... -lcurl), so it is
 * not one of the programs `make bench` runs. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char BODY[] =
    "{\"kind\":\"statement\",\"category\":\"heating\",\"district\":\"ridder\",\"language\":\"ru\","
    "\"text\":\"В доме нет отопления\",\"address\":\"Риддер, ул. Гоголя 5\","
    "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
    "\"iin\":\"900101300007\",\"postal_address\":\"Риддер, ул. Гоголя 5, кв. 3\"}}";

static char **nodes;
static int n_nodes;
static const char *stop_file;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

struct buf {
    char *p;
    size_t n, cap;
};

static size_t on_body(char *d, size_t sz, size_t nm, void *arg)
{
    struct buf *b = arg;
    size_t n = sz * nm;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

static size_t on_header(char *d, size_t sz, size_t nm, void *arg)
{
    char *ra = arg;
    size_t n = sz * nm;
    if (n > 12 && strncasecmp(d, "Retry-After:", 12) == 0) {
        size_t k = 0;
        for (size_t i = 12; i < n && k < 15; i++)
            if (d[i] != ' ' && d[i] != '\r' && d[i] != '\n')
                ra[k++] = d[i];
        ra[k] = '\0';
    }
    return n;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *worker(void *arg)
{
    int k = (int)(long)arg;
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    struct buf b = {0};
    char ra[16], url[512];
    struct stat sb;
    while (stat(stop_file, &sb) != 0) {
        snprintf(url, sizeof url, "%s/api/v1/appeals", nodes[k++ % n_nodes]);
        curl_easy_reset(c);
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, BODY);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, ra);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        b.n = 0;
        if (b.p)
            b.p[0] = '\0';
        strcpy(ra, "-");
        long long t0 = now_ms();
        CURLcode rc = curl_easy_perform(c);
        long long t1 = now_ms();
        long status = 0;
        char number[64] = "-";
        if (rc == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        else
            snprintf(ra, sizeof ra, "%s", rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "connect");
        if (status == 201 && b.p) {
            const char *p = strstr(b.p, "\"number\":\"");
            if (p) {
                p += 10;
                size_t i = 0;
                while (p[i] && p[i] != '"' && i + 1 < sizeof number) {
                    number[i] = p[i];
                    i++;
                }
                number[i] = '\0';
            }
        }
        pthread_mutex_lock(&out_mu);
        printf("%lld %lld %ld %s %s\n", t0, t1, status, ra, number);
        pthread_mutex_unlock(&out_mu);
        if (status != 201)
            usleep(100 * 1000); /* a client told to retry waits a little (not Retry-After's 1 s:
                                   the bench measures when intake is back) */
    }
    free(b.p);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s THREADS STOP_FILE URL...\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    stop_file = argv[2];
    nodes = argv + 3;
    n_nodes = argc - 3;
    if (threads < 1 || threads > 256)
        return 2;
    curl_global_init(CURL_GLOBAL_ALL);
    pthread_t t[256];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(long)i);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    curl_global_cleanup();
    return 0;
}
