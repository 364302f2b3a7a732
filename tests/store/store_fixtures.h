#pragma once
// Small builders shared by the store suites: users with passkeys made
// through the same calls the daemon uses, random hashes, row counts.

#include "shared/store/ceremony_repository.h"
#include "shared/store/database.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

namespace daarion::testing {

inline QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

inline QString randomCredentialId()
{
    return QString::fromLatin1(randomBytes(16).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline store::NewPasskey newPasskey(const QString &credentialId = randomCredentialId())
{
    store::NewPasskey key;
    key.credentialId = credentialId;
    key.publicKey = QByteArray::fromHex("a501020326200121582000");
    key.signCount = 0;
    key.deviceName = QStringLiteral("Test key");
    key.aaguid = QByteArray(16, '\0');
    key.alg = -7;
    key.transports = {QStringLiteral("internal"), QStringLiteral("hybrid")};
    key.attestationFmt = QStringLiteral("none");
    key.attestationType = QStringLiteral("none");
    key.userVerified = true;
    key.backupEligible = true;
    key.backupState = true;
    return key;
}

// Signs up `username` with one passkey (and a session when tokenHash is given).
inline store::StoreResult<store::RegistrationOutcome> signUp(store::Database &db, const QString &username,
                                                             const QByteArray &tokenHash = {})
{
    store::RegistrationCommit commit;
    commit.newUser = {username, username.toUpper(), randomBytes(32)};
    commit.passkey = newPasskey();
    if (!tokenHash.isEmpty()) {
        commit.sessionTokenHash = tokenHash;
        commit.sessionLifetime = std::chrono::hours(1);
    }
    commit.context.clientIp = QStringLiteral("192.0.2.1");
    commit.context.userAgent = QStringLiteral("store-test");
    return store::CeremonyRepository(db).completeRegistration(commit);
}

// Adds another passkey to an existing account.
inline store::StoreResult<store::RegistrationOutcome> addPasskey(store::Database &db, const QUuid &userId)
{
    store::RegistrationCommit commit;
    commit.existingUserId = userId;
    commit.passkey = newPasskey();
    return store::CeremonyRepository(db).completeRegistration(commit);
}

inline qint64 countRows(store::Database &db, const QString &sql, const QVariantList &values = {})
{
    auto result = db.run(sql, values);
    if (!result) {
        qWarning("%s", qPrintable(result.error().message));
        return -1;
    }
    return (*result)->next() ? (*result)->value(0).toLongLong() : -1;
}

inline qint64 auditCount(store::Database &db, const QString &event)
{
    return countRows(db, QStringLiteral("SELECT count(*) FROM auth_events WHERE event = ?"), {event});
}

} // namespace daarion::testing

// QVERIFY for a StoreResult, printing the store's message on failure; the
// expression is evaluated once.
#define QVERIFY_STORE(expression)                                                                              \
    do {                                                                                                       \
        const auto &storeResult_ = (expression);                                                               \
        QVERIFY2(storeResult_.ok(), storeResult_.ok() ? "" : qPrintable(storeResult_.error().message));        \
    } while (false)
#define QCOMPARE_KIND(expression, expected)                                                                    \
    do {                                                                                                       \
        const auto &storeResult_ = (expression);                                                               \
        QVERIFY2(!storeResult_.ok(), "expected a store error");                                                \
        QCOMPARE(daarion::store::storeErrorKindName(storeResult_.kind()),                                      \
                 daarion::store::storeErrorKindName(expected));                                                \
    } while (false)
