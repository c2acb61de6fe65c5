/* form: the staff pages' form fields (form.h). */
#include "form.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../format/html.h"
#include "../util/buf.h"
#include "web.h"

void web_errors_add(struct web_errors *er, const char *field, const char *label,
                    const char *fmt, ...)
{
    if (er->n >= WEB_MAX_ERRORS) {
        er->n++;
        return;
    }
    snprintf(er->v[er->n].field, sizeof er->v[er->n].field, "%s", field ? field : "");
    snprintf(er->v[er->n].label, sizeof er->v[er->n].label, "%s", label ? label : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(er->v[er->n].message, sizeof er->v[er->n].message, fmt, ap);
    va_end(ap);
    er->n++;
}

const char *web_errors_get(const struct web_errors *er, const char *field)
{
    for (size_t i = 0; er && i < er->n && i < WEB_MAX_ERRORS; i++)
        if (strcmp(er->v[i].field, field) == 0)
            return er->v[i].message;
    return NULL;
}

void web_input_id(struct buf *b, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
        buf_putc(b, keep ? (char)*p : '-');
    }
}

void web_errors_summary(struct buf *b, const struct web_errors *er)
{
    if (!er || !er->n)
        return;
    buf_puts(b, "<div class=\"alert\" role=\"alert\"><p>Intet er gemt: ret ");
    buf_puts(b, er->n == 1 ? "fejlen" : "fejlene");
    buf_puts(b, " nedenfor.</p><ul>");
    for (size_t i = 0; i < er->n && i < WEB_MAX_ERRORS; i++) {
        buf_puts(b, "<li>");
        if (er->v[i].field[0]) {
            buf_puts(b, "<a href=\"#");
            web_input_id(b, er->v[i].field);
            buf_puts(b, "\">");
        }
        if (er->v[i].label[0]) {
            html_text(b, er->v[i].label);
            buf_puts(b, ": ");
        }
        html_text(b, er->v[i].message);
        buf_puts(b, er->v[i].field[0] ? "</a></li>" : "</li>");
    }
    if (er->n > WEB_MAX_ERRORS)
        buf_printf(b, "<li>og %zu fejl mere</li>", er->n - WEB_MAX_ERRORS);
    buf_puts(b, "</ul></div>\n");
}

static const char *type_name(enum web_input_type t)
{
    switch (t) {
    case WEB_INPUT_DATE: return "date";
    case WEB_INPUT_TIME: return "time";
    case WEB_INPUT_NUMBER: return "number";
    case WEB_INPUT_EMAIL: return "email";
    case WEB_INPUT_URL: return "url";
    case WEB_INPUT_PASSWORD: return "password";
    case WEB_INPUT_FILE: return "file";
    case WEB_INPUT_CHECKBOX: return "checkbox";
    default: return "text";
    }
}

static bool checked(const char *v)
{
    return v && *v && strcmp(v, "0") != 0;
}

void web_input(struct buf *b, const struct web_input *in, struct web_errors *er)
{
    const char *error = in->error && *in->error ? in->error : web_errors_get(er, in->name);
    struct buf id = BUF_INIT;
    web_input_id(&id, in->name);
    const char *fid = buf_cstr(&id);
    bool box = in->type == WEB_INPUT_CHECKBOX;
    buf_puts(b, box ? "<div class=\"field check\">" : "<div class=\"field\">");
    if (!box) {
        buf_printf(b, "<label for=\"%s\">", fid);
        html_text(b, in->label);
        if (in->required)
            buf_puts(b, " <span class=\"req\">(skal udfyldes)</span>");
        buf_puts(b, "</label>");
    }
    if (in->help) {
        buf_printf(b, "<span class=\"help\" id=\"%s-help\">", fid);
        html_text(b, in->help);
        buf_puts(b, "</span>");
    }
    if (error) {
        buf_printf(b, "<p class=\"error\" id=\"%s-error\">", fid);
        html_text(b, error);
        buf_puts(b, "</p>");
    }
    switch (in->type) {
    case WEB_INPUT_TEXTAREA:
        buf_printf(b, "<textarea id=\"%s\" name=\"", fid);
        html_attr(b, in->name);
        buf_printf(b, "\" rows=\"%d\"", in->rows > 0 ? in->rows : 4);
        break;
    case WEB_INPUT_SELECT:
        buf_printf(b, "<select id=\"%s\" name=\"", fid);
        html_attr(b, in->name);
        buf_puts(b, "\"");
        break;
    default:
        buf_printf(b, "<input type=\"%s\" id=\"%s\" name=\"", type_name(in->type), fid);
        html_attr(b, in->name);
        buf_puts(b, "\"");
        if (box) {
            buf_puts(b, " value=\"1\"");
            if (checked(in->value))
                buf_puts(b, " checked");
        } else if (in->value && in->type != WEB_INPUT_PASSWORD && in->type != WEB_INPUT_FILE) {
            buf_puts(b, " value=\"");
            html_attr(b, in->value);
            buf_puts(b, "\"");
        }
        if (in->type == WEB_INPUT_EMAIL || in->type == WEB_INPUT_URL)
            buf_puts(b, " autocapitalize=\"none\" spellcheck=\"false\"");
        break;
    }
    if (in->help || error) {
        buf_puts(b, " aria-describedby=\"");
        if (in->help)
            buf_printf(b, "%s-help", fid);
        if (error)
            buf_printf(b, "%s%s-error", in->help ? " " : "", fid);
        buf_puts(b, "\"");
    }
    if (in->required && !box)
        buf_puts(b, " aria-required=\"true\"");
    if (error) {
        buf_puts(b, " aria-invalid=\"true\"");
        if (er && !er->focused)
            buf_puts(b, " autofocus");
        if (er)
            er->focused = true;
    }
    if (in->attrs)
        buf_puts(b, in->attrs);
    buf_puts(b, ">");
    if (in->type == WEB_INPUT_TEXTAREA) {
        html_text(b, in->value ? in->value : "");
        buf_puts(b, "</textarea>");
    } else if (in->type == WEB_INPUT_SELECT) {
        for (const struct web_choice *c = in->choices; c && c->value; c++) {
            buf_puts(b, "<option value=\"");
            html_attr(b, c->value);
            buf_puts(b, "\"");
            if (in->value && strcmp(in->value, c->value) == 0)
                buf_puts(b, " selected");
            buf_puts(b, ">");
            html_text(b, c->label ? c->label : c->value);
            buf_puts(b, "</option>");
        }
        buf_puts(b, "</select>");
    } else if (box) {
        buf_printf(b, " <label for=\"%s\">", fid);
        html_text(b, in->label);
        buf_puts(b, "</label>");
    }
    buf_puts(b, "</div>\n");
    buf_free(&id);
}

void web_form_open(struct buf *b, const struct web_request *req, const char *action,
                   bool multipart)
{
    buf_puts(b, "<form class=\"form\" method=\"post\" action=\"");
    html_attr(b, action);
    buf_puts(b, multipart ? "\" enctype=\"multipart/form-data\" novalidate>\n" : "\" novalidate>\n");
    web_csrf_field(b, req);
}

void web_form_close(struct buf *b, const char *submit_label)
{
    if (submit_label) {
        buf_puts(b, "<button type=\"submit\">");
        html_text(b, submit_label);
        buf_puts(b, "</button>\n");
    }
    buf_puts(b, "</form>\n");
}
