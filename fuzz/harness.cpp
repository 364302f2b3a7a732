#include "fuzz/harness.h"

#include <QHashSeed>

#include <cstdio>
#include <cstdlib>

namespace daarion::fuzz
{

const testing::VectorRelyingParty &relyingParty()
{
    static const testing::VectorRelyingParty party(
        qEnvironmentVariable("DAARION_TEST_DATA", QStringLiteral(DAARION_FUZZ_DATA_DIR)));
    return party;
}

void propertyBroken(const char *property, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: property broken: %s\n", file, line, property);
    std::abort();
}

} // namespace daarion::fuzz

// Runs once before the first input.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // The same input must take the same path in every run: no per-process
    // random QHash seed.
    QHashSeed::setDeterministicGlobalSeed();
    // Parsers never print; Qt's own warnings (e.g. about odd URLs) would
    // only bury libFuzzer's output.
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
    return 0;
}
