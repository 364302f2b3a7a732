#pragma once
// A person at a browser with a software authenticator, talking to the real
// daemon over HTTP: the ceremony round trips of API.md, each step callable
// on its own so a test can break exactly one.
//
//     PasskeyUser alice(daemon.baseUrl());
//     auto signedUp = alice.signUp("alice");
//     QCOMPARE(signedUp.status, 200);
//     QCOMPARE(alice.get("/auth/me").json()["username"], "alice");

#include "tests/support/http_client.h"
#include "tests/support/soft_authenticator.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace daarion::testing {

class PasskeyUser
{
public:
    static inline const QString kDefaultOrigin = QStringLiteral("http://localhost:3000");

    explicit PasskeyUser(const QString &baseUrl, SoftAuthenticator::Config config = {},
                         const QString &origin = kDefaultOrigin);

    HttpClient &http() { return m_http; }
    SoftAuthenticator &authenticator() { return m_authenticator; }
    const QString &origin() const { return m_origin; }

    // The session token of the last successful sign-up, sign-in or refresh.
    QString token;
    // Authorization: Bearer <token> (nothing when signed out).
    Headers bearer() const;

    // Whole ceremonies. The response is the finish step's (or the start's
    // when that failed); a successful one updates `token`.
    HttpResponse signUp(const QString &username, const QString &displayName = {},
                        const SoftTweaks &tweaks = {});
    HttpResponse addPasskey(const SoftTweaks &tweaks = {});
    // An enrollment link (recovery or invite) opened on this person's device:
    // register/start {"enrollment_token"} without a session, this
    // authenticator's new passkey, register/finish.
    HttpResponse enroll(const QString &enrollmentToken, const SoftTweaks &tweaks = {});
    HttpResponse signIn(const std::optional<QString> &username, const SoftTweaks &tweaks = {});

    // Single steps.
    HttpResponse startSignUp(const QString &username, const QString &displayName = {});
    HttpResponse startAddPasskey();
    HttpResponse startEnrollment(const QString &enrollmentToken);
    HttpResponse startSignIn(const std::optional<QString> &username);
    SoftRegistration create(const QJsonObject &options, const SoftTweaks &tweaks = {});
    SoftAssertion assert_(const QJsonObject &options, const SoftTweaks &tweaks = {});
    HttpResponse finishRegistration(const QJsonObject &responseJson);
    HttpResponse finishSignIn(const QJsonObject &responseJson);

    // Requests with the bearer token.
    HttpResponse get(const QString &path);
    HttpResponse post(const QString &path, const QJsonObject &body = {});
    HttpResponse patch(const QString &path, const QJsonObject &body);
    HttpResponse del(const QString &path);

private:
    HttpResponse finishing(const HttpResponse &response);

    HttpClient m_http;
    SoftAuthenticator m_authenticator;
    QString m_origin;
};

} // namespace daarion::testing
