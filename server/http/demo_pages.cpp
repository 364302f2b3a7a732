#include "server/http/demo_pages.h"

#include "server/http/api_error.h"

#include <QFile>
#include <QRegularExpression>

namespace daarion::server {

namespace {

QByteArray contentTypeFor(const QString &name)
{
    if (name.endsWith(u".html"))
        return "text/html; charset=utf-8";
    if (name.endsWith(u".js"))
        return "text/javascript; charset=utf-8";
    if (name.endsWith(u".css"))
        return "text/css; charset=utf-8";
    if (name.endsWith(u".svg"))
        return "image/svg+xml";
    if (name.endsWith(u".png"))
        return "image/png";
    if (name.endsWith(u".json"))
        return "application/json";
    if (name.endsWith(u".ico"))
        return "image/x-icon";
    return "application/octet-stream";
}

ApiResponse serveFile(const QString &name)
{
    // Only plain file names of the embedded folder: no "..", no sub-paths.
    static const QRegularExpression plainName(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$"));
    if (!plainName.match(name).hasMatch())
        return notFound();
    QFile file(QStringLiteral(":/demo/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return notFound();
    return ApiResponse::raw(file.readAll(), contentTypeFor(name))
        .withHeader("Cache-Control", "no-cache")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "no-referrer");
}

} // namespace

bool demoPagesAvailable()
{
    return QFile::exists(QStringLiteral(":/demo/index.html"));
}

void registerDemoRoutes(ApiRouter &router)
{
    const RouteOptions inline_{.execution = Execution::Inline};
    router.get(QStringLiteral("/"), [](const ApiRequest &) { return serveFile(QStringLiteral("index.html")); },
               inline_);
    // Enrollment links (PUBLIC_URL/enroll#token=…) open the same page; the
    // token is in the fragment, which the browser never sends.
    router.get(
        QStringLiteral("/enroll"),
        [](const ApiRequest &) { return serveFile(QStringLiteral("index.html")); }, inline_);
    router.get(QStringLiteral("/demo/<arg>"),
               [](const ApiRequest &request) { return serveFile(request.pathArguments.value(0)); }, inline_);
}

} // namespace daarion::server
