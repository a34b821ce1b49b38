/* Notices that always reach the applicant (issue 16, point 2): every kind of notice
 * (registration receipt, forwarding, extension, suspension, answer, termination, return
 * without consideration) goes by every channel the applicant gave, against real receivers
 * on loopback: e-mail to an SMTP server (tests/api/smtp_sink.py), SMS to an HTTP gateway
 * (tests/api/webhook_sink.py), and a letter to the registry's print queue; in the appeal's
 * language, kk or ru. Each notice's record (channel, attempts, outcome) is on the appeal
 * (GET .../notices). A notice no channel could deliver is an operations alert; one with a
 * letter in the print queue is not; an anonymous applicant with no contact is recorded as
 * undeliverable, a named one (a letter a registrar enters) raises an alert too, and so does
 * a notice to staff that fails for good. Delivery runs as `otinish notify run` at a given
 * instant: no waiting. */
#include "harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW "correct horse battery"

static const char *const logins[] = {"reg", "head.housing", "head.ridder", "exec",
                                     "sup", "adm",          NULL};

static srv_t S;
static char mail_dir[300], hook_dir[300], smtp_url[64], sms_url[64];
static pid_t smtp_pid, hook_pid;

static int setup(void **state)
{
    /* the server delivers nothing itself (no channel): `notify run` does, at set instants */
    const char *serve[] = {"--sweep-interval", "0", "--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", S.dir);
    snprintf(hook_dir, sizeof hook_dir, "%s/sms", S.dir);
    int mp = sink_start("tests/api/smtp_sink.py", mail_dir, &smtp_pid);
    int hp = sink_start("tests/api/webhook_sink.py", hook_dir, &hook_pid);
    if (mp < 0 || hp < 0)
        return -1;
    snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", mp);
    snprintf(sms_url, sizeof sms_url, "http://127.0.0.1:%d/sms", hp);
    add_user(&S, "reg", "registrar", "ridder", PW);
    add_user(&S, "head.housing", "head", "ridder.housing", PW);
    add_user(&S, "head.ridder", "head", "ridder", PW);
    add_user(&S, "exec", "executor", "ridder.housing", PW);
    add_user(&S, "sup", "supervisor", "vko.apparat", PW);
    add_user(&S, "adm", "admin", "vko", PW);
    if (sign_in_all(&S, logins, PW))
        return -1;
    as(&S, NULL);
    return 0;
}

static int teardown(void **state)
{
    sink_stop(smtp_pid);
    sink_stop(hook_pid);
    return srv_teardown(state);
}

/* A portal appeal about heating in Ridder (to ridder.housing). */
static void file(const char *lang, const char *text, const char *applicant, char number[64])
{
    char body[2048];
    snprintf(body, sizeof body,
             "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
             "\"district\":\"ridder\",\"language\":\"%s\",\"text\":\"%s\",\"applicant\":%s}",
             lang, text, applicant);
    as(&S, NULL);
    resp_t r = api(&S, "POST", "/api/v1/appeals", body);
    if (r.status != 201)
        fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    snprintf(number, 64, "%s", jstr(r.json, "number"));
    resp_free(&r);
}

/* One action, which must succeed; the appeal's max_due_on after it into max (may be NULL). */
static void act(const char *who, const char *number, const char *action, const char *body,
                char max[16])
{
    as(&S, who);
    char sfx[64];
    snprintf(sfx, sizeof sfx, "/%s", action);
    resp_t r = api(&S, "POST", api_path(&S, "/api/v1/appeals/", number, sfx), body ? body : "{}");
    if (r.status != 200)
        fprintf(stderr, "%s %s: %ld %s\n", who, action, r.status, r.body);
    assert_int_equal(r.status, 200);
    if (max)
        snprintf(max, 16, "%s", jstr(r.json, "max_due_on"));
    resp_free(&r);
    as(&S, NULL);
}

/* One `notify run` offset seconds from now, with the given channels; its report. */
static void deliver(long offset, const char *smtp, const char *sms, char *out, size_t n)
{
    char at[40];
    time_t t = time(NULL) + 1 + offset;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *args[] = {"notify",    "run", "--db",  S.db, "--smtp-url", smtp,
                          "--sms-url", sms,   "--now", at,   NULL};
    assert_int_equal(run_otinish(&S, args, NULL, out, n), 0);
}

static void sms_answers(int status)
{
    char p[400];
    snprintf(p, sizeof p, "%s/status", hook_dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fprintf(f, "%d\n", status);
    fclose(f);
}

/* Files in dir whose text holds every string of want (NULL-terminated). */
static int count_files(const char *dir, const char *ext, const char *const *want)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d))) {
        if (!strstr(e->d_name, ext))
            continue;
        char p[700];
        static char text[65536];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        FILE *f = fopen(p, "r");
        size_t k = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
            fclose(f);
        text[k] = '\0';
        int ok = 1;
        for (int i = 0; ok && want[i]; i++)
            ok = strstr(text, want[i]) != NULL;
        n += ok;
    }
    if (d)
        closedir(d);
    return n;
}

/* Mails to `to` that hold subj (in the subject, decoded by the sink) and body. */
static int mails(const char *to, const char *subj, const char *body)
{
    char rcpt[200];
    snprintf(rcpt, sizeof rcpt, "RCPT: %s\n", to);
    const char *want[] = {rcpt, "SUBJECT: ", subj, body ? body : "", NULL};
    return count_files(mail_dir, ".txt", want);
}

/* SMS posted to the gateway for phone `to` of notice `tmpl` about number. */
static int sms(const char *to, const char *tmpl, const char *number)
{
    char t[100], m[100];
    snprintf(t, sizeof t, "\"to\":\"%s\"", to);
    snprintf(m, sizeof m, "\"template\":\"%s\"", tmpl);
    const char *want[] = {t, m, number, NULL};
    return count_files(hook_dir, ".json", want);
}

/* The letters waiting in the print queue for number, as reg sees them; the subjects of all
 * joined into subjects. */
static int letters(const char *number, char *subjects, size_t n)
{
    as(&S, "reg");
    resp_t r = api(&S, "GET", "/api/v1/post", NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    int k = 0;
    subjects[0] = '\0';
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *l = json_array_get(items, i);
        if (strcmp(jstr(l, "number"), number))
            continue;
        k++;
        snprintf(subjects + strlen(subjects), n - strlen(subjects), "%s|", jstr(l, "subject"));
    }
    resp_free(&r);
    return k;
}

/* The outbox record of number's applicant notices by channel: "template:status:attempts"
 * joined by spaces, from GET .../notices. */
static void record(const char *who, const char *number, const char *channel, char *out, size_t n)
{
    as(&S, who);
    resp_t r = api(&S, "GET", api_path(&S, "/api/v1/appeals/", number, "/notices"), NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    out[0] = '\0';
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        if (strcmp(jstr(x, "to"), "applicant") || strcmp(jstr(x, "channel"), channel))
            continue;
        snprintf(out + strlen(out), n - strlen(out), "%s%s:%s:%lld", out[0] ? " " : "",
                 jstr(x, "template"), jstr(x, "status"),
                 (long long)json_integer_value(json_object_get(x, "attempts")));
    }
    resp_free(&r);
}

#define RU_ANSWER                                                                                                                                            \
    "{\"decision\":\"satisfied\",\"text\":\"Теплоснабжение дома восстановлено, температура в "                    \
    "квартирах проверена комиссией.\",\"grounds\":\"Акт проверки №12; Правила теплоснабжения, " \
    "п. 5\"}"
#define KK_ANSWER                                                                                                                                         \
    "{\"decision\":\"explained\",\"text\":\"Үйдің жылу жүйесі қалпына келтірілді, пәтерлердегі "              \
    "температураны комиссия тексерді.\",\"grounds\":\"Тексеру актісі №12; жылумен жабдықтау " \
    "қағидалары, 5-тармақ\"}"

static void every_kind_by_every_channel(void **state)
{
    (void)state;
    char a[64], b[64], c[64], out[2048];
    file("ru", "В доме нет отопления",
         "{\"type\":\"individual\",\"full_name\":\"Петров П.\",\"postal_address\":\"Риддер, "
         "ул. Ленина 1\",\"phone\":\"+7 705 111 22 33\",\"email\":\"petrov@example.kz\"}",
         a);
    file("ru", "Холодно в квартире",
         "{\"type\":\"individual\",\"full_name\":\"Сидоров С.\",\"postal_address\":\"Риддер, "
         "ул. Ленина 2\",\"phone\":\"+7 705 111 22 44\",\"email\":\"sidorov@example.kz\"}",
         b);
    file("ru", "Нет тепла в подъезде",
         "{\"type\":\"individual\",\"full_name\":\"Орлов О.\",\"postal_address\":\"Риддер, "
         "ул. Ленина 3\",\"phone\":\"+7 705 111 22 55\",\"email\":\"orlov@example.kz\"}",
         c);
    /* a: forwarded to the city akimat, extended, suspended and resumed, answered */
    char max[16], ext[128];
    act("sup", a, "forward", "{\"body\":\"ridder\",\"reason\":\"вопрос акимата\"}", max);
    snprintf(ext, sizeof ext, "{\"due_on\":\"%s\",\"reason\":\"нужна экспертиза\"}", max);
    act("head.ridder", a, "extend", ext, NULL);
    act("head.ridder", a, "suspend", "{\"reason\":\"запрос в энергоснабжающую организацию\"}",
        NULL);
    act("head.ridder", a, "resume", NULL, NULL);
    act("head.ridder", a, "assign", "{\"executor\":\"exec\"}", NULL);
    act("exec", a, "answer", RU_ANSWER, NULL);
    /* b: terminated (withdrawn); c: returned without consideration */
    act("head.housing", b, "terminate", "{\"reason\":\"withdrawn\"}", NULL);
    act("head.housing", c, "return_unconsidered", "{\"reason\":\"no_content\"}", NULL);

    sms_answers(200);
    deliver(0, smtp_url, sms_url, out, sizeof out);
    if (strncmp(out, "sent 18, to retry 0, failed 0", 29)) {
        /* seen once in ~150 runs under heavy load: the rows not sent, and why, so that the
         * next one names its cause */
        char rows[4096];
        sql_query(S.db,
                  "SELECT template, channel, status, attempts, next_at, last_error FROM outbox"
                  " WHERE status <> 'sent' AND channel IN ('email', 'sms')",
                  rows, sizeof rows);
        fail_msg("notify run: %s (now %ld)\n%s", out, (long)time(NULL), rows);
    }

    static const struct {
        const char *number_of, *email, *phone, *tmpl, *subject, *body;
    } want[] = {
        {"a", "petrov@example.kz", "+77051112233", "registered", "зарегистрировано", "Срок ответа"},
        {"a", "petrov@example.kz", "+77051112233", "forwarded", "перенаправлено", "вопрос акимата"},
        {"a", "petrov@example.kz", "+77051112233", "extended", "продл", "нужна экспертиза"},
        {"a", "petrov@example.kz", "+77051112233", "suspended", "приостановлен",
         "запрос в энергоснабжающую"},
        {"a", "petrov@example.kz", "+77051112233", "answered", "Ответ на обращение",
         "удовлетворено"},
        {"b", "sidorov@example.kz", "+77051112244", "terminated", "прекращено",
         "отозвано заявителем"},
        {"c", "orlov@example.kz", "+77051112255", "returned_unconsidered", "без рассмотрения",
         "не содержит сути"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *n = want[i].number_of[0] == 'a' ? a : want[i].number_of[0] == 'b' ? b : c;
        if (sms(want[i].phone, want[i].tmpl, n) != 1)
            fail_msg("no SMS %s to %s", want[i].tmpl, want[i].phone);
        if (want[i].subject[0] && mails(want[i].email, want[i].subject, want[i].body) != 1) {
            char cmd[400];
            snprintf(cmd, sizeof cmd, "cat %s/*.txt >&2", mail_dir);
            if (system(cmd)) {
            }
            fail_msg("no e-mail %s to %s", want[i].tmpl, want[i].email);
        }
    }
    /* the answer's mail: the decision in words, the answer, its grounds, how to complain */
    assert_int_equal(mails("petrov@example.kz", "Ответ на обращение", "Акт проверки №12"), 1);
    assert_int_equal(mails("petrov@example.kz", "Ответ на обращение", "обжаловать"), 1);
    /* every notice by e-mail, SMS (18 in all, the registrations with them): 5 to a, 2 to b,
     * 2 to c */
    const char *pa[] = {"RCPT: petrov@example.kz\n", NULL};
    assert_int_equal(count_files(mail_dir, ".txt", pa), 5);
    const char *pb[] = {"RCPT: sidorov@example.kz\n", NULL};
    assert_int_equal(count_files(mail_dir, ".txt", pb), 2);
    const char *pc[] = {"RCPT: orlov@example.kz\n", NULL};
    assert_int_equal(count_files(mail_dir, ".txt", pc), 2);
    /* ... and by post: each a letter in the print queue, in Russian */
    char subjects[4096];
    assert_int_equal(letters(a, subjects, sizeof subjects), 5);
    assert_non_null(strstr(subjects, "зарегистрировано"));
    assert_non_null(strstr(subjects, "Ответ на обращение"));
    assert_int_equal(letters(b, subjects, sizeof subjects), 2);
    assert_int_equal(letters(c, subjects, sizeof subjects), 2);
    /* the record on the appeal: channel, attempts, outcome */
    record("head.ridder", a, "email", out, sizeof out);
    assert_string_equal(out, "registered:sent:1 forwarded:sent:1 extended:sent:1 suspended:sent:1"
                             " answered:sent:1");
    record("head.ridder", a, "sms", out, sizeof out);
    assert_string_equal(out, "registered:sent:1 forwarded:sent:1 extended:sent:1 suspended:sent:1"
                             " answered:sent:1");
    record("head.ridder", a, "post", out, sizeof out);
    assert_string_equal(out, "registered:print:0 forwarded:print:0 extended:print:0"
                             " suspended:print:0 answered:print:0");
}

/* The receipt (the registration notice) and the letters in the applicant's language. */
static void kazakh_and_russian(void **state)
{
    (void)state;
    char k[64], r[64], out[512], subjects[4096];
    file("kk", "Үйде жылу жоқ",
         "{\"type\":\"individual\",\"full_name\":\"Серікова А.\",\"postal_address\":\"Риддер, "
         "Ленин к-сі 4\",\"phone\":\"+7 705 111 22 66\",\"email\":\"serikova@example.kz\"}",
         k);
    file("ru", "Нет горячей воды",
         "{\"type\":\"individual\",\"full_name\":\"Иванова И.\",\"postal_address\":\"Риддер, "
         "ул. Ленина 5\",\"email\":\"ivanova@example.kz\"}",
         r);
    act("sup", k, "forward", "{\"body\":\"ridder\",\"reason\":\"әкімдік құзыреті\"}", NULL);
    act("head.ridder", k, "assign", "{\"executor\":\"exec\"}", NULL);
    act("exec", k, "answer", KK_ANSWER, NULL);
    deliver(5, smtp_url, sms_url, out, sizeof out);
    char subj[200];
    snprintf(subj, sizeof subj, "%s өтініші тіркелді", k);
    assert_int_equal(mails("serikova@example.kz", subj, "Жауап мерзімі"), 1);
    snprintf(subj, sizeof subj, "%s өтінішіне жауап", k);
    assert_int_equal(mails("serikova@example.kz", subj, "түсіндірілді"), 1);
    assert_int_equal(mails("serikova@example.kz", subj, "шағымдана аласыз"), 1);
    assert_int_equal(sms("+77051112266", "answered", k), 1);
    /* forwarded: the body named in Kazakh */
    assert_int_equal(mails("serikova@example.kz", k, "Риддер қаласының әкімдігі"), 1);
    const char *kk_sms[] = {"\"to\":\"+77051112266\"", "\"language\":\"kk\"",
                            "\"template\":\"registered\"", NULL};
    assert_int_equal(count_files(hook_dir, ".json", kk_sms), 1);
    assert_int_equal(letters(k, subjects, sizeof subjects), 3);
    assert_non_null(strstr(subjects, "өтініші тіркелді"));
    assert_non_null(strstr(subjects, "өтінішіне жауап"));
    assert_null(strstr(subjects, "Обращение"));
    snprintf(subj, sizeof subj, "Обращение %s зарегистрировано", r);
    assert_int_equal(mails("ivanova@example.kz", subj, "Срок ответа"), 1);
    assert_int_equal(letters(r, subjects, sizeof subjects), 1);
    assert_non_null(strstr(subjects, "зарегистрировано"));
    /* the printed batch: one HTML document, each letter in its language */
    as(&S, "reg");
    resp_t h = api(&S, "GET", "/api/v1/post?format=html", NULL);
    as(&S, NULL);
    assert_int_equal(h.status, 200);
    assert_non_null(strstr(h.body, "өтінішіне жауап"));
    assert_non_null(strstr(h.body, "Жауаппен келіспесеңіз"));
    resp_free(&h);
    /* the registry records r's letter sent by post on a day: not after today */
    char sql[300], p[64], body[64], yesterday[16];
    snprintf(sql, sizeof sql,
             "SELECT o.id FROM outbox o JOIN appeals a ON a.id = o.appeal_id WHERE a.number ="
             " '%s' AND o.channel = 'post'",
             r);
    long id = sql_count(S.db, sql);
    snprintf(p, sizeof p, "/api/v1/post/%ld/sent", id);
    as(&S, "reg");
    h = api(&S, "POST", p, "{\"on\":\"2999-01-01\"}");
    expect_error(&h, 422, "out_of_range", "on");
    resp_free(&h);
    h = api(&S, "POST", p, "{\"on\":\"01.12.2026\"}");
    expect_error(&h, 422, "bad_date", "on");
    resp_free(&h);
    time_t y = time(NULL) - 2 * 86400;
    strftime(yesterday, sizeof yesterday, "%Y-%m-%d", gmtime(&y));
    snprintf(body, sizeof body, "{\"on\":\"%s\"}", yesterday);
    h = api(&S, "POST", p, body);
    assert_int_equal(h.status, 200);
    resp_free(&h);
    as(&S, NULL);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'notice.post_sent' AND"
             " json_extract(data, '$.sent_on') = '%s' AND CAST(json_extract(data, '$.letter') AS "
             "INTEGER) = %ld",
             yesterday, id);
    assert_int_equal(sql_count(S.db, sql), 1);
    record("reg", r, "post", out, sizeof out);
    assert_string_equal(out, "registered:sent:1");
}

static long events(const char *number, const char *action)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE object_id = '%s' AND action = '%s'", number,
             action);
    return sql_count(S.db, sql);
}

/* A notice that no channel delivers: an SMS the gateway refuses ten times, for an applicant
 * who gave only a phone, is an operations alert (once) for the administrators; an e-mail the
 * server never takes, for an applicant whose letter waits in the print queue, is not. */
static void undeliverable_is_an_alert(void **state)
{
    (void)state;
    char p[64], q[64], out[512], row[512];
    file("ru", "Нет отопления",
         "{\"type\":\"individual\",\"full_name\":\"Телефонов Т.\",\"phone\":\"+7 705 999 00 11\"}",
         p);
    file("ru", "Нет отопления",
         "{\"type\":\"individual\",\"full_name\":\"Почтов П.\",\"postal_address\":\"Риддер, "
         "ул. Почтовая 1\",\"email\":\"pochtov@example.kz\"}",
         q);
    sms_answers(503);
    for (int attempt = 1; attempt <= 10; attempt++) /* 7 h apart: past every wait */
        deliver(7L * 3600 * attempt, "smtp://127.0.0.1:1", sms_url, out, sizeof out);
    record("reg", p, "sms", row, sizeof row);
    assert_string_equal(row, "registered:failed:10");
    record("reg", q, "email", row, sizeof row);
    assert_string_equal(row, "registered:failed:10");
    record("reg", q, "post", row, sizeof row);
    assert_string_equal(row, "registered:print:0");
    assert_int_equal(events(p, "notice.undelivered"), 1);
    assert_int_equal(events(q, "notice.undelivered"), 0);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id WHERE a.number"
             " = '%s' AND o.template = 'notice_failed' AND o.recipient = 'user:' ||"
             " (SELECT id FROM users WHERE login = 'adm')",
             p);
    assert_int_equal(sql_count(S.db, sql), 1);
    deliver(7L * 3600 * 11, "smtp://127.0.0.1:1", sms_url, out, sizeof out);
    assert_int_equal(events(p, "notice.undelivered"), 1); /* once */
    /* an anonymous applicant with no contact: recorded undeliverable, no alert (they chose
     * not to be answered) */
    char z[64];
    file("ru", "Во дворе не убирают снег", "{\"type\":\"anonymous\"}", z);
    record("reg", z, "none", row, sizeof row);
    assert_string_equal(row, "registered:failed:0");
    assert_int_equal(events(z, "notice.undelivered"), 0);
}

/* With no channel working at all (a server without SMTP), the applicants' notices wait: past
 * the notice term (3 working days) the sweep raises one operations alert for all of them,
 * once; never silently nowhere. */
static void stuck_notices_are_an_alert(void **state)
{
    (void)state;
    char m[64], out[512], at[40];
    file("ru", "Нет отопления",
         "{\"type\":\"individual\",\"full_name\":\"Почтовый Ящик\","
         "\"email\":\"nobody-reads@example.kz\"}",
         m);
    const char *q = "SELECT count(*) FROM events WHERE action = 'notice.undelivered'"
                    " AND object_type = 'outbox'";
    time_t t = time(NULL) + 86400; /* tomorrow: within the term */
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *s1[] = {"sweep", "--db", S.db, "--now", at, NULL};
    assert_int_equal(run_otinish(&S, s1, NULL, out, sizeof out), 0);
    assert_int_equal(sql_count(S.db, q), 0);
    t = time(NULL) + 10 * 86400;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *s2[] = {"sweep", "--db", S.db, "--now", at, NULL};
    assert_int_equal(run_otinish(&S, s2, NULL, out, sizeof out), 0);
    assert_int_equal(sql_count(S.db, q), 1);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'notice.undelivered' AND object_type ="
             " 'outbox' AND CAST(json_extract(data, '$.count') AS INTEGER) = 1"
             " AND json_extract(data, '$.numbers') LIKE '%%%s%%'",
             m);
    assert_int_equal(sql_count(S.db, sql), 1);
    assert_int_equal(sql_count(S.db, "SELECT count(*) FROM outbox WHERE template ="
                                     " 'notices_stuck' AND recipient = 'user:' ||"
                                     " (SELECT id FROM users WHERE login = 'adm')"),
                     1);
    t = time(NULL) + 11 * 86400; /* once */
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *s3[] = {"sweep", "--db", S.db, "--now", at, NULL};
    assert_int_equal(run_otinish(&S, s3, NULL, out, sizeof out), 0);
    assert_int_equal(sql_count(S.db, q), 1);
}

/* How many things a sweep's notice to login after outbox id `after` of templates one / many
 * stands for (1 for `one`, its `count` for `many`); fails unless there is exactly one. */
static long told_of(const char *login, long after, const char *one, const char *many)
{
    char sql[700];
    const char *where = "FROM outbox WHERE id > %ld AND template IN ('%s', '%s') AND recipient ="
                        " (SELECT 'user:' || id FROM users WHERE login = '%s')";
    char w[400];
    snprintf(w, sizeof w, where, after, one, many, login);
    snprintf(sql, sizeof sql, "SELECT count(*) %s", w);
    assert_int_equal(sql_count(S.db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN template = '%s' THEN 1"
             " ELSE CAST(json_extract(data, '$.count') AS INTEGER) END %s",
             one, w);
    return sql_count(S.db, sql);
}

/* The executor hears of his assignment: the sweep queues the "assigned" notice for each
 * assignment since its last run (one statement over the events) to the executor's address,
 * with the appeal's number and due date; a second sweep does not queue it again. */
static void executor_is_told_of_assignment(void **state)
{
    (void)state;
    char n[64], out[512], subj[120], sql[400];
    const char *contact[] = {"notify",  "contact",         "--db", S.db, "--login", "exec",
                             "--email", "exec@example.kz", NULL};
    assert_int_equal(run_otinish(&S, contact, NULL, NULL, 0), 0);
    file("ru", "Нет отопления в подъезде",
         "{\"type\":\"individual\",\"full_name\":\"Поручитов П.\",\"postal_address\":\"Риддер, "
         "ул. Почтовая 3\"}",
         n);
    act("head.housing", n, "assign", "{\"executor\":\"exec\"}", NULL);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id WHERE a.number"
             " = '%s' AND o.template = 'assigned' AND o.recipient = 'user:' ||"
             " (SELECT id FROM users WHERE login = 'exec')",
             n);
    assert_int_equal(sql_count(S.db, sql), 0); /* the sweep queues it, not the action */
    for (int run = 0; run < 2; run++) {
        const char *sweep[] = {"sweep", "--db", S.db, NULL};
        assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
        assert_int_equal(sql_count(S.db, sql), 1);
    }
    deliver(0, smtp_url, sms_url, out, sizeof out);
    snprintf(subj, sizeof subj, "Вам поручено обращение %s", n);
    assert_int_equal(mails("exec@example.kz", subj, n), 1);
    /* two assignments between two sweeps: one notice of both (issue 23 point 5) */
    char m1[64], m2[64];
    long outbox = sql_count(S.db, "SELECT coalesce(max(id), 0) FROM outbox");
    const char *who = "{\"type\":\"individual\",\"full_name\":\"Поручитов П.\","
                      "\"postal_address\":\"Риддер, ул. Почтовая 3\"}";
    file("ru", "Нет отопления в подъезде 2", who, m1);
    file("ru", "Нет отопления в подъезде 3", who, m2);
    act("head.housing", m1, "assign", "{\"executor\":\"exec\"}", NULL);
    act("head.housing", m2, "assign", "{\"executor\":\"exec\"}", NULL);
    const char *sweep[] = {"sweep", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    assert_int_equal(told_of("exec", outbox, "assigned", "assigned_many"), 2);
    deliver(0, smtp_url, sms_url, out, sizeof out);
    assert_int_equal(mails("exec@example.kz", "Вам поручено обращений: 2", m1), 1);
}

/* A supervisor's control date: the sweep puts the appeal in the control queue and tells its
 * executor and the head of its body while the appeal is open (of several, in one notice); of an
 * appeal answered before the sweep follows the date (a first sweep over months of backlog), the
 * queue's entry is made all the same, and nobody is told (issue 23: 53,754 such notices on the 1M
 * demo). */
static void control_date_is_told_while_open(void **state)
{
    (void)state;
    char open_n[64], done_n[64], out[512], sql[400];
    const char *who = "{\"type\":\"individual\",\"full_name\":\"Контролев К.\","
                      "\"postal_address\":\"Риддер, ул. Почтовая 5\"}";
    file("ru", "Нет отопления в доме 5", who, open_n);
    file("ru", "Нет отопления в доме 7", who, done_n);
    act("head.housing", open_n, "assign", "{\"executor\":\"exec\"}", NULL);
    act("head.housing", done_n, "assign", "{\"executor\":\"exec\"}", NULL);
    act("sup", open_n, "control", "{}", NULL);
    act("sup", done_n, "control", "{}", NULL);
    act("exec", done_n, "answer", RU_ANSWER, NULL);
    const char *sweep[] = {"sweep", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    const char *numbers[] = {open_n, done_n};
    for (int k = 0; k < 2; k++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM control_queue q JOIN appeals a ON a.id = q.appeal_id"
                 " WHERE a.number = '%s' AND q.reason = 'supervisor'",
                 numbers[k]);
        assert_int_equal(sql_count(S.db, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
                 " WHERE a.number = '%s' AND o.template = 'control' AND o.recipient IN"
                 " (SELECT 'user:' || id FROM users WHERE login IN ('exec', 'head.housing'))",
                 numbers[k]);
        assert_int_equal(sql_count(S.db, sql), k ? 0 : 2);
    }
    /* two control dates between two sweeps: one notice of both to each (issue 23 point 5) */
    char m1[64], m2[64];
    long outbox = sql_count(S.db, "SELECT coalesce(max(id), 0) FROM outbox");
    file("ru", "Нет отопления в доме 9", who, m1);
    file("ru", "Нет отопления в доме 11", who, m2);
    act("head.housing", m1, "assign", "{\"executor\":\"exec\"}", NULL);
    act("head.housing", m2, "assign", "{\"executor\":\"exec\"}", NULL);
    act("sup", m1, "control", "{}", NULL);
    act("sup", m2, "control", "{}", NULL);
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    assert_int_equal(told_of("exec", outbox, "control", "control_many"), 2);
    assert_int_equal(told_of("head.housing", outbox, "control", "control_many"), 2);
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0); /* once */
    assert_int_equal(told_of("exec", outbox, "control", "control_many"), 2);
}

/* The repeat rule's notices: one per body and head for all the flags a sweep makes, to the
 * head and every supervisor, with how many it stands for (`flags`); the flags themselves and
 * their events are one per violation, as ever. Three appeals received 70, 60 and 50 days
 * ago run late in the same department (three due dates): the second and the third are
 * repeats of the one before. So too the violations' and the escalations' notices (issue 23
 * point 5): one to the head for all his violations of the sweep, one to the supervisor for
 * all its escalations, each with how many it stands for. */
static void repeat_flags_are_one_notice_per_head(void **state)
{
    (void)state;
    char out[512], sql[600];
    long before = sql_count(S.db, "SELECT coalesce(max(id), 0) FROM head_flags");
    long outbox = sql_count(S.db, "SELECT coalesce(max(id), 0) FROM outbox");
    long viols = sql_count(S.db, "SELECT coalesce(max(id), 0) FROM violations");
    long seq = sql_count(S.db, "SELECT coalesce(max(seq), 0) FROM events");
    for (int k = 0; k < 3; k++) {
        char at[40], body[1024];
        time_t t = time(NULL) - (70 - 10 * k) * 86400L;
        strftime(at, sizeof at, "%Y-%m-%dT10:00:00+05:00", gmtime(&t));
        snprintf(body, sizeof body,
                 "{\"kind\":\"statement\",\"channel\":\"mail\",\"category\":\"heating\","
                 "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления, "
                 "письмо %d\",\"received_at\":\"%s\",\"received_reason\":\"по журналу\","
                 "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Повторов П.\","
                 "\"postal_address\":\"Риддер, ул. Почтовая 9\"}}",
                 k, at);
        as(&S, "reg");
        resp_t r = api(&S, "POST", "/api/v1/appeals", body);
        if (r.status != 201)
            fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
        assert_int_equal(r.status, 201);
        resp_free(&r);
        as(&S, NULL);
    }
    const char *sweep[] = {"sweep", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM head_flags WHERE id > %ld AND body = 'ridder.housing'"
             " AND head = (SELECT id FROM users WHERE login = 'head.housing')",
             before);
    long flags = sql_count(S.db, sql);
    assert_true(flags >= 2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'head.flag'"
             " AND CAST(object_id AS INTEGER) > %ld",
             before);
    assert_int_equal(sql_count(S.db, sql), sql_count(S.db, "SELECT count(*) FROM head_flags") -
                                               before); /* an event for each flag */
    const char *to[] = {"head.housing", "sup"};
    for (int k = 0; k < 2; k++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM outbox WHERE template = 'head_flag' AND recipient ="
                 " (SELECT 'user:' || id FROM users WHERE login = '%s')"
                 " AND json_extract(data, '$.body') = 'ridder.housing'"
                 " AND CAST(json_extract(data, '$.flags') AS INTEGER) = %ld",
                 to[k], flags);
        assert_int_equal(sql_count(S.db, sql), 1);
    }
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM violations WHERE id > %ld AND (head = (SELECT id FROM users"
             " WHERE login = 'head.housing') OR executor = (SELECT id FROM users"
             " WHERE login = 'head.housing'))",
             viols);
    long charged = sql_count(S.db, sql);
    assert_true(charged >= 3);
    assert_int_equal(told_of("head.housing", outbox, "violation", "violations"), charged);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE seq > %ld AND action = 'appeal.escalate'", seq);
    long escalated = sql_count(S.db, sql);
    assert_true(escalated >= 3);
    assert_int_equal(told_of("sup", outbox, "escalated", "escalated_many"), escalated);
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    assert_int_equal(sql_count(S.db, "SELECT count(*) FROM outbox WHERE template = 'head_flag'"
                                     " AND recipient = (SELECT 'user:' || id FROM users"
                                     " WHERE login = 'head.housing')"),
                     1);
}

/* A notice to staff that fails for good is an operations alert, as an applicant's is (one
 * mechanism): the head's approval request (his body holds answers for his approval), refused
 * by the SMTP server ten times (a mailbox it does not know), raises `notice.undelivered` on
 * the appeal and a staff_notice_failed notice to every administrator, once; the alert's own
 * notices, which fail too (the administrator has no address), raise none. */
static void failed_staff_notice_is_an_alert(void **state)
{
    (void)state;
    char n[64], out[512], path[400];
    const char *contact[] = {"notify",  "contact",      "--db",    S.db,
                             "--login", "head.housing", "--email", "head.housing@example.kz",
                             NULL};
    assert_int_equal(run_otinish(&S, contact, NULL, NULL, 0), 0);
    snprintf(path, sizeof path, "%s/refuse", mail_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("head.housing@example.kz\n", f);
    fclose(f);
    file("ru", "Нет отопления",
         "{\"type\":\"individual\",\"full_name\":\"Письмов П.\",\"postal_address\":\"Риддер, "
         "ул. Почтовая 2\"}",
         n);
    as(&S, "head.housing");
    resp_t r =
        api(&S, "POST", "/api/v1/bodies/ridder.housing/settings", "{\"answer_approval\":true}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    act("head.housing", n, "assign", "{\"executor\":\"exec\"}", NULL);
    act("exec", n, "answer", RU_ANSWER, NULL); /* held: the head is asked to approve */
    for (int attempt = 1; attempt <= 10; attempt++)
        deliver(7L * 3600 * attempt, smtp_url, sms_url, out, sizeof out);
    /* the record on the appeal: the approval request to the head failed, with why */
    as(&S, "reg");
    r = api(&S, "GET", api_path(&S, "/api/v1/appeals/", n, "/notices"), NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    int seen = 0;
    json_t *items = json_object_get(r.json, "items"), *x;
    size_t i;
    json_array_foreach(items, i, x)
    {
        if (strcmp(jstr(x, "template"), "approval_request") || strcmp(jstr(x, "channel"), "staff"))
            continue;
        seen++;
        assert_string_equal(jstr(x, "status"), "failed");
        assert_int_equal(jnum(x, "attempts"), 10);
        assert_non_null(strstr(jstr(x, "last_error"), "smtp"));
    }
    assert_int_equal(seen, 1);
    resp_free(&r);
    assert_int_equal(events(n, "notice.undelivered"), 1);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE object_id = '%s' AND action = "
             "'notice.undelivered' AND json_extract(data, '$.login') = 'head.housing'"
             " AND json_extract(data, '$.notice') = 'approval_request'",
             n);
    assert_int_equal(sql_count(S.db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id WHERE a.number"
             " = '%s' AND o.template = 'staff_notice_failed' AND o.recipient = 'user:' ||"
             " (SELECT id FROM users WHERE login = 'adm')",
             n);
    assert_int_equal(sql_count(S.db, sql), 1);
    /* the administrator sees it among the operations alerts */
    as(&S, "adm");
    r = api(&S, "GET", "/api/v1/alerts", NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    seen = 0;
    json_array_foreach(json_object_get(r.json, "items"), i, x)
    {
        if (strcmp(jstr(x, "object"), n))
            continue;
        seen++;
        assert_string_equal(jstr(x, "kind"), "operations");
        assert_string_equal(jstr(x, "metric"), "notice.undelivered");
        assert_string_equal(jstr(x, "object_type"), "appeal");
        assert_string_equal(jstr(x, "body"), "ridder.housing");
        assert_string_equal(jstr(x, "login"), "head.housing");
        assert_string_equal(jstr(x, "notice"), "approval_request");
        assert_non_null(strstr(jstr(x, "reason"), "smtp"));
        assert_int_equal(jnum(x, "count"), 1);
    }
    assert_int_equal(seen, 1);
    resp_free(&r);
    /* the administrator's own notice fails in its turn (no address): no alert about it */
    for (int attempt = 11; attempt <= 21; attempt++)
        deliver(7L * 3600 * attempt, smtp_url, sms_url, out, sizeof out);
    assert_int_equal(sql_count(S.db, "SELECT count(*) FROM outbox WHERE template ="
                                     " 'staff_notice_failed' AND status = 'failed'"),
                     sql_count(S.db, "SELECT count(*) FROM outbox WHERE template ="
                                     " 'staff_notice_failed'"));
    assert_int_equal(events(n, "notice.undelivered"), 1); /* once */
    remove(path);
    act("head.housing", n, "approve", NULL, NULL);
    as(&S, "head.housing");
    r = api(&S, "POST", "/api/v1/bodies/ridder.housing/settings", "{\"answer_approval\":false}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

/* A letter signed with a name but with no address, phone or e-mail (a real registrar's day):
 * the public portal refuses such a filing (АППК art. 63), but the registrar registers what
 * has arrived. Its notices have nowhere to go: recorded undeliverable (channel none) and an
 * operations alert, once for the appeal; the head may then return it without consideration
 * for want of contacts (no_contacts), which is recorded undeliverable too, with no second
 * alert. */
static void named_letter_without_contact_is_an_alert(void **state)
{
    (void)state;
    const char *nameless =
        "{\"kind\":\"statement\",\"channel\":\"%s\",\"category\":\"heating\","
        "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"В доме по ул. Гоголя 7 нет "
        "отопления\",\"applicant\":{\"type\":\"individual\",\"full_name\":\"Безадресов Б.\"}}";
    char body[1024], n[64], row[512];
    snprintf(body, sizeof body, nameless, "portal");
    as(&S, NULL);
    resp_t r = api(&S, "POST", "/api/v1/appeals", body);
    expect_error(&r, 422, "required", "applicant.postal_address");
    resp_free(&r);
    snprintf(body, sizeof body, nameless, "mail");
    as(&S, "reg");
    r = api(&S, "POST", "/api/v1/appeals", body);
    as(&S, NULL);
    if (r.status != 201)
        fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    snprintf(n, sizeof n, "%s", jstr(r.json, "number"));
    resp_free(&r);
    record("reg", n, "none", row, sizeof row);
    assert_string_equal(row, "registered:failed:0");
    assert_int_equal(events(n, "notice.undelivered"), 1);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id WHERE a.number"
             " = '%s' AND o.template = 'notice_failed' AND o.recipient = 'user:' ||"
             " (SELECT id FROM users WHERE login = 'adm')",
             n);
    assert_int_equal(sql_count(S.db, sql), 1);
    act("head.housing", n, "return_unconsidered", "{\"reason\":\"no_contacts\"}", NULL);
    record("reg", n, "none", row, sizeof row);
    assert_string_equal(row, "registered:failed:0 returned_unconsidered:failed:0");
    assert_int_equal(events(n, "notice.undelivered"), 1); /* once for the appeal */
    as(&S, "adm");
    r = api(&S, "GET", "/api/v1/alerts?format=csv", NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, n));
    assert_non_null(strstr(r.body, "the applicant gave no contact"));
    resp_free(&r);
    as(&S, "sup"); /* a supervisor's alerts are the statistics, as before */
    r = api(&S, "GET", "/api/v1/alerts?format=csv", NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, n));
    resp_free(&r);
}

/* The print queue of a scope (store_outbox_letters: a scope of few appeals reads its appeals'
 * letters, else the queue is walked in its order) is the one SQL gives, oldest first: with the
 * cap of a million appeals and divided by 1,000,000 (OTINISH_LIST_SCALE: only a scope with no
 * appeal reads them so). */
static void every_print_queue_is_the_sql_queue(void **state)
{
    srv_t *s = *state;
    static const struct {
        const char *who, *path;
    } cases[] = {{"reg", "vko/ridder/"},
                 {"head.housing", "vko/ridder/ridder.housing/"},
                 {"head.ridder", "vko/ridder/"}};
    const char *serve[] = {"--sweep-interval", "0", "--public-limit", "0", NULL};
    assert_true(sql_count(s->db, "SELECT count(*) FROM outbox WHERE channel = 'post'"
                                 " AND status = 'print'") >= 2);
    for (int scaled = 0; scaled < 2; scaled++) {
        if (scaled) {
            assert_int_equal(srv_list_scale(s, serve, "1000000"), 0);
        }
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char sql[600], truth[8192], got[8192] = "";
            snprintf(sql, sizeof sql,
                     "SELECT o.id FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
                     " JOIN bodies b ON b.id = a.body WHERE o.channel = 'post'"
                     " AND o.status = 'print' AND b.path LIKE '%s%%'"
                     " ORDER BY o.next_at, o.id LIMIT 1000",
                     cases[i].path);
            sql_query(s->db, sql, truth, sizeof truth);
            as(s, cases[i].who);
            resp_t r = api(s, "GET", "/api/v1/post", NULL);
            as(s, NULL);
            assert_int_equal(r.status, 200);
            json_t *items = json_object_get(r.json, "items");
            size_t used = 0;
            for (size_t k = 0; k < json_array_size(items); k++)
                used += (size_t)snprintf(got + used, sizeof got - used, "%lld\n",
                                         (long long)jnum(json_array_get(items, k), "id"));
            resp_free(&r);
            if (strcmp(got, truth))
                fail_msg("%s (scaled %d): the queue\n%sis not\n%s", cases[i].who, scaled, got,
                         truth);
            /* the same a letter a page (on PostgreSQL each page's walk a chunk or more: of 17
             * letters; of 2, then 4, ... scaled) */
            char paged[8192] = "", path[128] = "/api/v1/post?limit=1";
            used = 0;
            for (int pages = 0; pages < 200; pages++) {
                as(s, cases[i].who);
                r = api(s, "GET", path, NULL);
                as(s, NULL);
                assert_int_equal(r.status, 200);
                items = json_object_get(r.json, "items");
                for (size_t k = 0; k < json_array_size(items); k++)
                    used += (size_t)snprintf(paged + used, sizeof paged - used, "%lld\n",
                                             (long long)jnum(json_array_get(items, k), "id"));
                const char *next = jstr(r.json, "next");
                if (next)
                    snprintf(path, sizeof path, "/api/v1/post?limit=1&after=%s", next);
                resp_free(&r);
                if (!next)
                    break;
            }
            if (strcmp(paged, truth))
                fail_msg("%s (scaled %d): a letter a page\n%sis not\n%s", cases[i].who, scaled,
                         paged, truth);
        }
    }
    assert_int_equal(srv_list_scale(s, serve, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_by_every_channel),
        cmocka_unit_test(kazakh_and_russian),
        cmocka_unit_test(undeliverable_is_an_alert),
        cmocka_unit_test(stuck_notices_are_an_alert),
        cmocka_unit_test(executor_is_told_of_assignment),
        cmocka_unit_test(control_date_is_told_while_open),
        cmocka_unit_test(repeat_flags_are_one_notice_per_head),
        cmocka_unit_test(failed_staff_notice_is_an_alert),
        cmocka_unit_test(named_letter_without_contact_is_an_alert),
        cmocka_unit_test(every_print_queue_is_the_sql_queue),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
