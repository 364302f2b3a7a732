// A request body as routes read it (server/http/api_request.h,
// ApiRequest::jsonBody): the byte scan for nesting depth and NUL, then Qt's
// JSON parser. Every JSON route of the daemon goes through it.
//
// Properties: an accepted body is a JSON object nested no deeper than the
// bound asked for, with no NUL character in any key or string (PostgreSQL
// text cannot hold one); a refused body gets a 400.
#include "fuzz/harness.h"

#include "server/http/api_request.h"

#include <QJsonArray>

using namespace daarion::server;

namespace
{

bool holdsNul(const QString &text)
{
    return text.contains(QChar(0));
}

// Levels of objects and arrays; a scalar has none. Checks strings on the way.
int depthOf(const QJsonValue &value)
{
    int deepest = 0;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            FUZZ_CHECK(!holdsNul(it.key()));
            deepest = qMax(deepest, depthOf(it.value()));
        }
        return deepest + 1;
    }
    if (value.isArray()) {
        for (const QJsonValue &entry : value.toArray())
            deepest = qMax(deepest, depthOf(entry));
        return deepest + 1;
    }
    if (value.isString())
        FUZZ_CHECK(!holdsNul(value.toString()));
    return 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    ApiRequest request;
    request.method = "POST";
    request.headers.insert("content-type", "application/json");
    request.body = daarion::fuzz::inputBytes(data, size);
    for (const int maxDepth : {16, 3}) {
        const JsonBody body = request.jsonBody(maxDepth);
        if (!body.ok()) {
            FUZZ_CHECK(body.error->status == 400);
            continue;
        }
        FUZZ_CHECK(depthOf(body.object) <= maxDepth);
    }
    return 0;
}
