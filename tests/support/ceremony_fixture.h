#pragma once
// A relying party for verifier tests: issues creation and request options the
// way the daemon does, and verifies what the soft authenticator answers
// through the same path as the daemon (the JSON form, then the verifier).
// Unlike the soft authenticator, this helper does use the verifier.

#include "shared/webauthn/authentication.h"
#include "shared/webauthn/errors.h"
#include "shared/webauthn/registration.h"
#include "tests/support/soft_authenticator.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace daarion::testing
{

struct RegistrationCeremony {
    QJsonObject options;                 // PublicKeyCredentialCreationOptionsJSON
    webauthn::RegistrationPolicy policy; // what the RP expects for these options
};

struct AssertionCeremony {
    QJsonObject options;              // PublicKeyCredentialRequestOptionsJSON
    webauthn::AssertionPolicy policy; // with the stored credential record filled in
};

class CeremonyFixture
{
public:
    static inline const QString kRpId = QStringLiteral("daarion.test");
    static inline const QString kOrigin = QStringLiteral("https://app.daarion.test");
    static inline const QString kTopOrigin = QStringLiteral("https://portal.daarion.test");

    // Fresh options with a new 32-byte challenge, offering EdDSA, ES256, RS256
    // (the daemon's list) and allowing kOrigin, and kTopOrigin as a top origin.
    static RegistrationCeremony
    registration(const QByteArray &userHandle = QByteArrayLiteral("user-handle-1"));
    // Options naming `record` in allowCredentials, and the policy for it.
    static AssertionCeremony
    assertion(const webauthn::RegisteredCredential &record,
              const QByteArray &ownerHandle = QByteArrayLiteral("user-handle-1"));

    static webauthn::Result<webauthn::RegisteredCredential>
    verify(const SoftRegistration &registration, const webauthn::RegistrationPolicy &policy);
    static webauthn::Result<webauthn::AssertionVerdict>
    verify(const SoftAssertion &assertion, const webauthn::AssertionPolicy &policy);

    // "ok" or "<error_code>: <message>", for test failure messages.
    template <typename T> static QByteArray describe(const webauthn::Result<T> &result)
    {
        if (result.ok())
            return QByteArrayLiteral("ok");
        return (webauthn::errorCodeName(result.error().code) + QStringLiteral(": ") +
                result.error().message)
            .toUtf8();
    }
};

} // namespace daarion::testing

// Fails the test unless `result` is an error with exactly `code`.
#define DAARION_EXPECT_ERROR(result_, expected_)                                                   \
    do {                                                                                           \
        const auto &daarionResult_ = (result_);                                                    \
        QVERIFY2(!daarionResult_.ok(), "accepted, expected " #expected_);                          \
        QVERIFY2(daarionResult_.error().code == (expected_),                                       \
                 ("expected " + ::daarion::webauthn::errorCodeName(expected_).toUtf8() +           \
                  ", got " + ::daarion::testing::CeremonyFixture::describe(daarionResult_))        \
                     .constData());                                                                \
    } while (false)

// Fails the test unless `result` succeeded, showing the error when not.
#define DAARION_EXPECT_OK(result_)                                                                 \
    do {                                                                                           \
        const auto &daarionResult_ = (result_);                                                    \
        QVERIFY2(daarionResult_.ok(),                                                              \
                 ::daarion::testing::CeremonyFixture::describe(daarionResult_).constData());       \
    } while (false)
