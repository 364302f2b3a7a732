// daarion-head-scanner-bench: what the request head scanner costs when a
// client sends its head a few bytes at a time (every read is one feed()).
// Prints microseconds of CPU per request for an 8 KiB request line, the
// longest allowed, and a 16 KiB head, sent in chunks of 1, 16 and 1024 bytes.
#include "server/http/request_head_scanner.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <cstdio>

using daarion::server::HeadLimits;
using daarion::server::RequestHeadScanner;

namespace
{

double microsecondsPerRequest(const QByteArray &request, qsizetype chunk, int repetitions)
{
    RequestHeadScanner scanner{HeadLimits{}};
    QElapsedTimer timer;
    timer.start();
    for (int n = 0; n < repetitions; ++n) {
        scanner.reset();
        for (qsizetype at = 0; at < request.size(); at += chunk) {
            const QByteArrayView part =
                QByteArrayView(request).sliced(at, qMin(chunk, request.size() - at));
            if (scanner.feed(part) != RequestHeadScanner::State::NeedMore)
                break;
        }
        if (scanner.state() != RequestHeadScanner::State::Complete)
            std::fprintf(stderr, "the request was not read whole\n");
    }
    return double(timer.nsecsElapsed()) / 1000.0 / repetitions;
}

} // namespace

int main()
{
    const QByteArray longLine = "GET /" + QByteArray(HeadLimits{}.maxRequestLineBytes - 15, 'a') +
                                " HTTP/1.1\r\nHost: x\r\n\r\n";
    QByteArray manyFields = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int field = 0; field < 60; ++field) // 61 of the 64 fields allowed, 16 KiB in all
        manyFields += "X-Filler: " + QByteArray(255, 'b') + "\r\n";
    manyFields += "\r\n";
    std::printf("%-30s %10s %10s %10s\n", "request", "1 B/read", "16 B/read", "1 KiB/read");
    for (const auto &[name, request] : {std::pair{"8 KiB request line", longLine},
                                        std::pair{"16 KiB head, 60 fields", manyFields}}) {
        std::printf("%-30s", name);
        for (const qsizetype chunk : {1, 16, 1024})
            std::printf(" %8.1f µs", microsecondsPerRequest(request, chunk, 200));
        std::printf("\n");
    }
    return 0;
}
