/* cli_secret: reading a password or a secret setting: from a terminal with echo off (asked
 * twice), else one line of standard input; never echoed, logged or put into a message. */
#include "cli.h"
#include "util/buf.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The terminal as it was, for the signal handler that puts echo back before dying. */
static struct termios saved;
static volatile sig_atomic_t echo_off;
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
static struct sigaction before[sizeof caught / sizeof caught[0]];

static void restore_and_die(int sig)
{
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void echo(bool on)
{
    if (!on) {
        struct sigaction sa = {0};
        sa.sa_handler = restore_and_die;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
            sigaction(caught[i], &sa, &before[i]);
        struct termios t = saved;
        /* ECHONL keeps the line end visible, so the next prompt starts on its own line. */
        t.c_lflag &= ~(tcflag_t)ECHO;
        t.c_lflag |= ECHONL;
        echo_off = 1;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
    } else {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        echo_off = 0;
        for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
            sigaction(caught[i], &before[i], NULL);
    }
}

/* One line of fd into out (cap bytes, NUL-terminated), without its line end. Returns its
 * length, -1 on a read error, -2 when it holds a NUL byte, -3 when it is longer than cap - 1.
 * Reads a byte at a time so that nothing after the line is taken from a shared input. */
static long read_line(int fd, char *out, size_t cap)
{
    size_t n = 0;
    bool nul = false, over = false;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0 || c == '\n')
            break;
        if (c == '\0')
            nul = true;
        if (n + 1 < cap)
            out[n++] = c;
        else
            over = true;
    }
    if (n && out[n - 1] == '\r')
        n--;
    out[n] = '\0';
    return nul ? -2 : over ? -3 : (long)n;
}

static long ask(const char *prompt, char *out, size_t cap)
{
    /* Echo off before the prompt shows: what is typed after it is never echoed nor flushed. */
    echo(false);
    fputs(prompt, stderr);
    fflush(stderr);
    long n = read_line(STDIN_FILENO, out, cap);
    echo(true);
    return n;
}

char *cli_read_secret(const char *cmd, const char *field, const char *prompt, int *status)
{
    size_t cap = CLI_SECRET_MAX + 2;
    char *a = xmalloc(cap), *b = NULL;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    long n = tty ? ask(prompt, a, cap) : read_line(STDIN_FILENO, a, cap);
    const char *why = NULL;
    *status = 2;
    if (n == -1)
        why = "could not be read from standard input";
    else if (n == -2)
        why = "holds a NUL byte";
    else if (n == -3)
        why = "expected one line of at most 65536 bytes";
    else if (n == 0)
        why = tty ? "empty input" : "empty input (give it as one line on standard input)";
    if (!why && tty) {
        b = xmalloc(cap);
        char again[64];
        snprintf(again, sizeof again, "Gentag %s", prompt);
        /* Only the first letter of the prompt is lower-cased: "Gentag adgangskode: ". */
        char *p = again + strlen("Gentag ");
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
        long m = ask(again, b, cap);
        if (m != n || sodium_memcmp(a, b, (size_t)n) != 0) {
            why = "the two entries differ; nothing was changed";
            *status = 1;
        }
    }
    if (b) {
        sodium_memzero(b, cap);
        free(b);
    }
    if (why) {
        fprintf(stderr, "referat %s: %s: %s\n", cmd, field, why);
        sodium_memzero(a, cap);
        free(a);
        return NULL;
    }
    *status = 0;
    return a;
}

void cli_secret_free(char *secret)
{
    if (!secret)
        return;
    sodium_memzero(secret, CLI_SECRET_MAX + 2);
    free(secret);
}
