// The strict CBOR entry point: what it accepts, and every way it refuses
// hostile input before libcbor allocates for it.
#include "shared/webauthn/cbor.h"

#include <QElapsedTimer>
#include <QTest>

using namespace daarion::webauthn;

namespace {

QByteArray hex(const char *text) { return QByteArray::fromHex(text); }

void expectMalformed(const QByteArray &bytes, const char *messagePart = nullptr)
{
    auto decoded = decodeCbor(bytes);
    QVERIFY2(!decoded, bytes.toHex().constData());
    QCOMPARE(decoded.error().code, ErrorCode::MalformedCredential);
    if (messagePart)
        QVERIFY2(decoded.error().message.contains(QLatin1StringView(messagePart)),
                 qPrintable(decoded.error().message));
}

} // namespace

class TestCbor : public QObject
{
    Q_OBJECT

private slots:
    void decodesMapAndReadsTypedValues()
    {
        // {"fmt": "none", 1: -7, "b": h'0102', "t": true, "f": false, "n": null}
        const QByteArray good = hex("a6" "63666d74" "646e6f6e65" "01" "26" "6162" "420102" "6174" "f5" "6166" "f4" "616e" "f6");
        auto decoded = decodeCbor(good);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        QCOMPARE(decoded->length, good.size());
        const cbor_item_t *map = decoded->item.get();
        QCOMPARE(cborText(cborMapGet(map, "fmt")), std::optional<QString>(QStringLiteral("none")));
        QCOMPARE(cborInteger(cborMapGet(map, 1)), std::optional<std::int64_t>(-7));
        QCOMPARE(cborBytes(cborMapGet(map, "b")), std::optional<QByteArray>(hex("0102")));
        QCOMPARE(cborBool(cborMapGet(map, "t")), std::optional<bool>(true));
        QCOMPARE(cborBool(cborMapGet(map, "f")), std::optional<bool>(false));
        QVERIFY(cborMapGet(map, "n"));
        QVERIFY(!cborMapGet(map, "missing"));
        QVERIFY(!cborMapGet(map, 2));
        // Typed accessors say nothing for the wrong type.
        QVERIFY(!cborInteger(cborMapGet(map, "fmt")));
        QVERIFY(!cborText(cborMapGet(map, "b")));
        QVERIFY(!cborBytes(cborMapGet(map, "fmt")));
        QVERIFY(!cborBool(cborMapGet(map, "n")));
        QVERIFY(!cborMapGet(nullptr, 1));
    }

    void integersAtTheEdges()
    {
        auto big = decodeCbor(hex("1b7fffffffffffffff"));
        QVERIFY(big);
        QCOMPARE(cborInteger(big->item.get()), std::optional<std::int64_t>(INT64_MAX));
        auto tooBig = decodeCbor(hex("1b8000000000000000"));
        QVERIFY(tooBig);
        QVERIFY(!cborInteger(tooBig->item.get()));
        auto lowest = decodeCbor(hex("3b7fffffffffffffff"));
        QVERIFY(lowest);
        QCOMPARE(cborInteger(lowest->item.get()), std::optional<std::int64_t>(INT64_MIN));
        auto tooLow = decodeCbor(hex("3b8000000000000000"));
        QVERIFY(tooLow);
        QVERIFY(!cborInteger(tooLow->item.get()));
        auto rs1 = decodeCbor(hex("39fffe"));
        QVERIFY(rs1);
        QCOMPARE(cborInteger(rs1->item.get()), std::optional<std::int64_t>(-65535));
    }

    void trailingBytes()
    {
        expectMalformed(hex("0102"), "trailing");
        auto allowed = decodeCbor(hex("a10102ff00"), TrailingBytes::Allow);
        QVERIFY(allowed);
        QCOMPARE(allowed->length, 3);
    }

    void truncatedAndEmpty()
    {
        expectMalformed(QByteArray());
        expectMalformed(hex("a201"), "declared length exceeds"); // 4 items cannot fit in 1 byte
        expectMalformed(hex("820119"), "ends inside");           // second element's header cut short
        expectMalformed(hex("a1014301"), "ends inside");           // byte string of 3 with 1 left
        expectMalformed(hex("4401"), nullptr);       // byte string shorter than declared
        expectMalformed(hex("19"), "ends inside");   // header cut short
    }

    void indefiniteLengthsRefused()
    {
        expectMalformed(hex("9f01ff"), "indefinite");
        expectMalformed(hex("bf0102ff"), "indefinite");
        expectMalformed(hex("5f4101ff"), "indefinite");
        expectMalformed(hex("7f6161ff"), "indefinite");
        expectMalformed(hex("ff"));
    }

    void tagsFloatsAndUndefinedRefused()
    {
        expectMalformed(hex("c11a514b67b0"), "tags");
        expectMalformed(hex("f93c00"), "floating");
        expectMalformed(hex("fa3f800000"), "floating");
        expectMalformed(hex("fb3ff0000000000000"), "floating");
        expectMalformed(hex("f7"), "undefined");
        expectMalformed(hex("f820"));   // unassigned simple value
        expectMalformed(hex("1c"));     // reserved additional information
    }

    void depthIsBounded()
    {
        QByteArray nested(kMaxCborDepth, '\x81');
        nested.append('\x00');
        QVERIFY(decodeCbor(nested));
        QByteArray deeper(kMaxCborDepth + 1, '\x81');
        deeper.append('\x00');
        expectMalformed(deeper, "deeper");
        // Depth counts maps too.
        QByteArray maps;
        for (int i = 0; i <= kMaxCborDepth; ++i)
            maps.append("\xa1\x01", 2);
        maps.append('\x00');
        expectMalformed(maps, "deeper");
    }

    void hugeDeclaredArrayRefusedFastWithoutAllocating()
    {
        // 9 bytes declaring 2^26 elements: libcbor alone would allocate ~512 MB.
        const QByteArray header = hex("9b0000000004000000");
        QCOMPARE(header.size(), 9);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 1000; ++i)
            expectMalformed(header, "declared length exceeds");
        // 1000 rejections; one 512 MB allocation and zeroing would take far longer.
        QVERIFY2(timer.elapsed() < 200, qPrintable(QString::number(timer.elapsed())));
        // The same for a map, a 2^26 array nested in a map, and a 2^63 byte string.
        expectMalformed(hex("bb0000000004000000"), "declared length exceeds");
        expectMalformed(hex("a1019b0000000004000000"), "declared length exceeds");
        expectMalformed(hex("bbffffffffffffffff"));
        expectMalformed(hex("5b7fffffffffffffff01"));
        // A count that just fits is fine; one more is not.
        QVERIFY(decodeCbor(hex("83010203")));
        expectMalformed(hex("840102"), "declared length exceeds");
    }

    void duplicateMapKeysRefused()
    {
        expectMalformed(hex("a201010102"), "duplicate");         // {1: 1, 1: 2}
        expectMalformed(hex("a20101180102"), "duplicate");       // 1 and 1 spelled 0x1801
        expectMalformed(hex("a2616101616102"), "duplicate");     // {"a": 1, "a": 2}
        expectMalformed(hex("a2416101416102"), "duplicate");     // {h'61': 1, h'61': 2}
        expectMalformed(hex("a101a220012002"), "duplicate");     // {1: {-1: 1, -1: 2}}
        expectMalformed(hex("82a1010ba200010002"), "duplicate"); // [{1: 11}, {0: 1, 0: 2}]
        // Equal values of different types are different keys.
        QVERIFY(decodeCbor(hex("a301012001610102")));            // {1: 1, -1: 1, "\x01": 2}
        QVERIFY(decodeCbor(hex("a2410101610102")));              // {h'01': 1, "\x01": 2}
    }

    void mapKeysMustBeIntegersOrStrings()
    {
        expectMalformed(hex("a1f501"), "neither");      // {true: 1}
        expectMalformed(hex("a1810101"), "neither");    // {[1]: 1}
    }

    void invalidUtf8TextRefused()
    {
        expectMalformed(hex("62c328"));        // 0xc3 starts a sequence 0x28 does not continue
        expectMalformed(hex("a162c0af01"));    // overlong encoding as a map key
        auto valid = decodeCbor(hex("62c3a9"));
        QVERIFY(valid);
        QCOMPARE(cborText(valid->item.get()), std::optional<QString>(QString(QChar(0xe9))));
    }
};

QTEST_APPLESS_MAIN(TestCbor)
#include "tst_cbor.moc"
