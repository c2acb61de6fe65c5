/* access: roles and readers (see access.h). */
#include "access.h"

#include <string.h>

const struct reader reader_public = {0};
const struct reader reader_all = {.all = true};

/* The roles as data: the name the CLI and the archive use, and the label people see. */
static const struct {
    int role;
    const char *name, *label;
} roles[] = {
    {ROLE_SEKRETAER, "sekretaer", "Sekretær"},
    {ROLE_SAGSBEHANDLER, "sagsbehandler", "Sagsbehandler"},
    {ROLE_GODKENDER, "godkender", "Godkender"},
    {ROLE_MEDLEM, "medlem", "Medlem"},
    {ROLE_ADMIN, "admin", "Administrator"},
};

const char *role_name(int role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].name;
    return NULL;
}

const char *role_label(int role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].label;
    return NULL;
}

int role_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0)
            return roles[i].role;
    return 0;
}

int reader_roles(const struct reader *r, int64_t body_id)
{
    if (!r)
        return 0;
    for (size_t i = 0; i < r->nbodies; i++)
        if (r->bodies[i].body_id == body_id)
            return r->bodies[i].roles;
    return 0;
}

bool reader_sees_body(const struct reader *r, int64_t body_id)
{
    if (!r)
        return false;
    return r->all || (reader_roles(r, body_id) & ROLE_READS_CLOSED) != 0;
}

bool reader_is_public(const struct reader *r)
{
    return !r || (!r->all && r->nbodies == 0);
}
