/* otinish user add|list|disable|passwd: staff accounts. Passwords come from a prompt (with
 * echo off) or from standard input, never from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/auth.h"
#include "util/log.h"

/* Reads a password: prompts twice on a terminal, else reads the first line of stdin. */
static int read_password(char *out, size_t n)
{
    int tty = isatty(0);
    struct termios old, noecho;
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char buf[512];
        if (tty) {
            fprintf(stderr, round ? "repeat password: " : "password: ");
            tcgetattr(0, &old);
            noecho = old;
            noecho.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(0, TCSANOW, &noecho);
        }
        char *got = fgets(buf, sizeof buf, stdin);
        if (tty) {
            tcsetattr(0, TCSANOW, &old);
            fputc('\n', stderr);
        }
        if (!got)
            return -1;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (round == 0)
            snprintf(out, n, "%s", buf);
        else if (strcmp(out, buf) != 0) {
            fprintf(stderr, "the passwords differ\n");
            return -1;
        }
    }
    return 0;
}

static int print_user(const auth_account_t *u, void *arg)
{
    (void)arg;
    printf("%-20s %-10s %-22s %-8s %s, %s\n", u->login, u->role, u->body,
           u->disabled ? "disabled" : "active", u->name, u->position);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("user");
    if (argc < 2)
        return cli_usage_error(self, "missing subcommand (add, list, disable, passwd, expire)");
    const char *sub = argv[1];
    const char *db = OPT_DEFAULT_DB, *login = NULL, *name = NULL, *position = NULL, *role = NULL,
               *body = NULL, *email = NULL;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"login", required_argument, NULL, 'l'},
        {"name", required_argument, NULL, 'n'},
        {"position", required_argument, NULL, 'p'},
        {"role", required_argument, NULL, 'r'},
        {"body", required_argument, NULL, 'b'},
        {"email", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db = optarg;
            break;
        case 'l':
            login = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'p':
            position = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'b':
            body = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind]);
        }
    }
    if (optind < argc - 1)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind + 1]);
    int is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0;
    int is_dis = strcmp(sub, "disable") == 0, is_pw = strcmp(sub, "passwd") == 0;
    int is_exp = strcmp(sub, "expire") == 0;
    if (!is_add && !is_list && !is_dis && !is_pw && !is_exp)
        return cli_usage_error(self, "unknown subcommand '%s'", sub);
    if (!is_list && !login)
        return cli_usage_error(self, "--login is required");
    if (is_add && (!name || !position || !role || !body))
        return cli_usage_error(self, "add needs --login, --name, --position, --role, --body");

    store_t *s = NULL;
    ot_err_t err = {0};
    int rc = CLI_EXIT_FAIL;
    char pw[512] = "";
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    if ((is_add || is_pw) && read_password(pw, sizeof pw)) {
        fprintf(stderr, "otinish user: no password given\n");
        goto out;
    }
    int64_t now = clock_now_us(), id = 0;
    if (is_add) {
        if (email && *email && auth_email_check(email, &err))
            goto fail;
        if (auth_user_add(s, "cli", login, name, position, role, body, pw, now, &id, &err) ||
            (email && auth_user_email(s, "cli", login, email, now, &err)))
            goto fail;
        printf("user %s added (id %lld)\n", login, (long long)id);
    } else if (is_pw) {
        if (auth_user_passwd(s, "cli", login, pw, now, &err))
            goto fail;
        printf("password of %s changed; their sessions are ended\n", login);
    } else if (is_exp) {
        if (auth_user_expire(s, "cli", login, now, &err))
            goto fail;
        printf("password of %s expired; their sessions are ended and the next login must set "
               "a new one\n",
               login);
    } else if (is_dis) {
        if (auth_user_disable(s, "cli", login, now, &err))
            goto fail;
        printf("user %s disabled; their sessions are ended\n", login);
    } else if (auth_user_list(s, print_user, NULL, &err))
        goto fail;
    rc = CLI_EXIT_OK;
    goto out;
fail:
    rc = cli_fail(self, &err);
out:
    memset(pw, 0, sizeof pw);
    svc_store_close(s);
    return rc;
}
