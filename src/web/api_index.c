/* api_index: /api, the list of API resources (documented in docs/api.md). */
#include "web.h"

void api_index(const struct web_request *req, struct web_response *res)
{
    (void)req;
    web_json(res, 200,
             json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s}}", "name", "Referat API", "docs",
                       "docs/api.md i kildekoden", "resources", "bodies", "/api/bodies", "meetings",
                       "/api/meetings?body=CODE&year=YYYY", "meeting", "/api/meetings/ID", "cases",
                       "/api/cases", "case", "/api/cases/ID", "followups",
                       "/api/followups?owner=NAME&status=open", "search",
                       "/api/search?q=QUERY&body=CODE&from=DATE&to=DATE"));
}
