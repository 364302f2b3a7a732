// The HTTP request head scanner (server/http/request_head_scanner.h), which
// sees every byte a client sends before Qt's parser does.
//
// The input is what arrives on a connection. It is fed three ways, one
// scanner reused with reset() between them: all at once, in chunks of a
// fixed size, and split after every CR and LF (where a head's end hides).
// Properties: how the bytes are split never changes the verdict (the state,
// the head read, or the code of a refusal); a complete head obeys every limit
// (method of capitals, target a path or "*", HTTP/1.0 or 1.1, Content-Length
// within the body limit, head within its size); a refusal is invalid_request
// (400) or payload_too_large (413) and says why. Limits are the daemon's
// defaults and, so that libFuzzer's inputs reach them, a small set.
#include "fuzz/harness.h"

#include "server/http/request_head_scanner.h"

#include <QList>

using namespace daarion;
using namespace daarion::server;

namespace
{

struct Verdict {
    RequestHeadScanner::State state;
    RequestHead head;
    HeadRejection rejection;
};

Verdict scan(RequestHeadScanner &scanner, const QList<QByteArrayView> &chunks)
{
    scanner.reset();
    for (const QByteArrayView chunk : chunks) {
        if (scanner.feed(chunk) != RequestHeadScanner::State::NeedMore)
            break;
    }
    return Verdict{scanner.state(), scanner.head(), scanner.rejection()};
}

QList<QByteArrayView> fixedChunks(QByteArrayView input, qsizetype size)
{
    QList<QByteArrayView> chunks;
    for (qsizetype at = 0; at < input.size(); at += size)
        chunks.append(input.sliced(at, qMin(size, input.size() - at)));
    return chunks;
}

QList<QByteArrayView> lineChunks(QByteArrayView input)
{
    QList<QByteArrayView> chunks;
    qsizetype start = 0;
    for (qsizetype i = 0; i < input.size(); ++i) {
        if (input[i] == '\r' || input[i] == '\n') {
            chunks.append(input.sliced(start, i + 1 - start));
            start = i + 1;
        }
    }
    if (start < input.size())
        chunks.append(input.sliced(start));
    return chunks;
}

void checkVerdict(const Verdict &verdict, const HeadLimits &limits)
{
    if (verdict.state == RequestHeadScanner::State::Complete) {
        const RequestHead &head = verdict.head;
        FUZZ_CHECK(!head.method.isEmpty());
        for (const char c : head.method)
            FUZZ_CHECK(c >= 'A' && c <= 'Z');
        FUZZ_CHECK(head.target.startsWith('/') || (head.method == "OPTIONS" && head.target == "*"));
        FUZZ_CHECK(head.minorVersion == 0 || head.minorVersion == 1);
        FUZZ_CHECK(head.contentLength >= 0 && head.contentLength <= limits.maxBodyBytes);
        FUZZ_CHECK(head.headBytes > 0 && head.headBytes <= limits.maxHeadBytes);
    } else if (verdict.state == RequestHeadScanner::State::Rejected) {
        const identity::ErrorCode code = verdict.rejection.code;
        FUZZ_CHECK(code == identity::ErrorCode::InvalidRequest ||
                   code == identity::ErrorCode::PayloadTooLarge);
        FUZZ_CHECK(!verdict.rejection.message.isEmpty());
    }
}

void checkSameVerdict(const Verdict &a, const Verdict &b)
{
    FUZZ_CHECK(a.state == b.state);
    if (a.state == RequestHeadScanner::State::Complete) {
        FUZZ_CHECK(a.head.method == b.head.method && a.head.target == b.head.target);
        FUZZ_CHECK(a.head.minorVersion == b.head.minorVersion);
        FUZZ_CHECK(a.head.contentLength == b.head.contentLength);
        FUZZ_CHECK(a.head.expectContinue == b.head.expectContinue);
        FUZZ_CHECK(a.head.closeRequested == b.head.closeRequested);
        FUZZ_CHECK(a.head.headBytes == b.head.headBytes);
    } else if (a.state == RequestHeadScanner::State::Rejected) {
        FUZZ_CHECK(a.rejection.code == b.rejection.code);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = daarion::fuzz::inputBytes(data, size);
    const HeadLimits small{.maxRequestLineBytes = 200,
                           .maxHeadBytes = 600,
                           .maxHeaderFields = 8,
                           .maxBodyBytes = 1000};
    for (const HeadLimits &limits : {HeadLimits{}, small}) {
        RequestHeadScanner scanner(limits);
        const Verdict whole = scan(scanner, {QByteArrayView(input)});
        checkVerdict(whole, limits);
        checkSameVerdict(whole, scan(scanner, fixedChunks(input, 1 + input.size() % 29)));
        checkSameVerdict(whole, scan(scanner, lineChunks(input)));
    }
    return 0;
}
