/* access: who reads and who may act: roles on bodies, and the reader every query is asked
 * for (anonymous, a member of some bodies, or the archive's own tools). No I/O here. */
#ifndef REFERAT_ACCESS_H
#define REFERAT_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A person's role on one body (user grant LOGIN BODY ROLE). Bits, so that a person's roles
 * on a body are one mask. */
enum role {
    ROLE_SEKRETAER = 1 << 0,     /* prepares the body's agendas and minutes */
    ROLE_SAGSBEHANDLER = 1 << 1, /* drafts own cases */
    ROLE_GODKENDER = 1 << 2,     /* signs cases off */
    ROLE_MEDLEM = 1 << 3,        /* reads everything of the body, closed included; approves
                                    minutes */
};
/* Not a role on a body: an administrator manages users, bodies and settings. It gives no
 * right to read closed content. Used in the workflow tables and route rules. */
#define ROLE_ADMIN (1 << 8)
/* Every role on a body that lets its holder read the body's closed content. */
#define ROLE_READS_CLOSED (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER | ROLE_GODKENDER | ROLE_MEDLEM)

/* The role's name as the CLI and the database spell it ("sekretaer"), and back (0 when the
 * name is unknown). */
const char *role_name(int role);
int role_parse(const char *name);
/* The Danish label the interface shows ("Sekretær"). */
const char *role_label(int role);

/* One body a reader holds roles on. */
struct reader_body {
    int64_t body_id;
    int roles; /* enum role bits */
};

/* Who reads. The store and the search return closed content of a case only when
 * reader_sees_body() is true for a body the case belongs to (see docs/access.md); everything
 * else is shown as case_view(c, AUDIENCE_PUBLIC) gives it. A NULL reader is the public.
 * Borrowed by every call that takes it. */
struct reader {
    bool all;       /* the archive's own tools (the CLI on the server): every closed case */
    int64_t account_id;  /* the person logged in, 0 for none */
    bool admin;          /* manages users, bodies and settings (reads nothing closed by it) */
    const struct reader_body *bodies;
    size_t nbodies;
};

/* The public, and the archive's own tools. */
extern const struct reader reader_public;
extern const struct reader reader_all;

/* True when r may read closed content of body_id. NULL r is the public. */
bool reader_sees_body(const struct reader *r, int64_t body_id);
/* The roles r holds on body_id (0 for none). */
int reader_roles(const struct reader *r, int64_t body_id);
/* True when r is the public (NULL, or nobody logged in and not `all`). */
bool reader_is_public(const struct reader *r);

#endif
