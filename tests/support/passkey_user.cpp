#include "tests/support/passkey_user.h"

namespace daarion::testing {

namespace {
const QString kRegisterStart = QStringLiteral("/auth/passkey/register/start");
const QString kRegisterFinish = QStringLiteral("/auth/passkey/register/finish");
const QString kAuthenticateStart = QStringLiteral("/auth/passkey/authenticate/start");
const QString kAuthenticateFinish = QStringLiteral("/auth/passkey/authenticate/finish");
} // namespace

PasskeyUser::PasskeyUser(const QString &baseUrl, SoftAuthenticator::Config config, const QString &origin)
    : m_http(baseUrl), m_authenticator(std::move(config)), m_origin(origin)
{
}

Headers PasskeyUser::bearer() const
{
    if (token.isEmpty())
        return {};
    return {{QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + token.toLatin1()}};
}

HttpResponse PasskeyUser::finishing(const HttpResponse &response)
{
    if (response.status == 200) {
        const QString issued = response.json().value(QStringLiteral("session_token")).toString();
        if (!issued.isEmpty())
            token = issued;
    }
    return response;
}

HttpResponse PasskeyUser::startSignUp(const QString &username, const QString &displayName)
{
    QJsonObject body{{QStringLiteral("username"), username}};
    if (!displayName.isEmpty())
        body.insert(QStringLiteral("display_name"), displayName);
    return m_http.post(kRegisterStart, body);
}

HttpResponse PasskeyUser::startAddPasskey()
{
    return m_http.post(kRegisterStart, QJsonObject{}, bearer());
}

HttpResponse PasskeyUser::startEnrollment(const QString &enrollmentToken)
{
    return m_http.post(kRegisterStart,
                       QJsonObject{{QStringLiteral("enrollment_token"), enrollmentToken}});
}

HttpResponse PasskeyUser::startSignIn(const std::optional<QString> &username)
{
    QJsonObject body;
    if (username)
        body.insert(QStringLiteral("username"), *username);
    return m_http.post(kAuthenticateStart, body);
}

SoftRegistration PasskeyUser::create(const QJsonObject &options, const SoftTweaks &tweaks)
{
    return m_authenticator.create(options, m_origin, tweaks);
}

SoftAssertion PasskeyUser::assert_(const QJsonObject &options, const SoftTweaks &tweaks)
{
    return m_authenticator.get(options, m_origin, tweaks);
}

HttpResponse PasskeyUser::finishRegistration(const QJsonObject &responseJson)
{
    return finishing(m_http.post(kRegisterFinish, responseJson, bearer()));
}

HttpResponse PasskeyUser::finishSignIn(const QJsonObject &responseJson)
{
    return finishing(m_http.post(kAuthenticateFinish, responseJson));
}

HttpResponse PasskeyUser::signUp(const QString &username, const QString &displayName,
                                 const SoftTweaks &tweaks)
{
    const HttpResponse started = startSignUp(username, displayName);
    if (started.status != 200)
        return started;
    const SoftRegistration registration = create(started.json(), tweaks);
    if (!registration.ok())
        return HttpResponse{0, {}, {}, QStringLiteral("authenticator refused: ") + registration.domError};
    return finishRegistration(registration.json);
}

HttpResponse PasskeyUser::addPasskey(const SoftTweaks &tweaks)
{
    const HttpResponse started = startAddPasskey();
    if (started.status != 200)
        return started;
    const SoftRegistration registration = create(started.json(), tweaks);
    if (!registration.ok())
        return HttpResponse{0, {}, {}, QStringLiteral("authenticator refused: ") + registration.domError};
    return finishRegistration(registration.json);
}

HttpResponse PasskeyUser::enroll(const QString &enrollmentToken, const SoftTweaks &tweaks)
{
    const HttpResponse started = startEnrollment(enrollmentToken);
    if (started.status != 200)
        return started;
    const SoftRegistration registration = create(started.json(), tweaks);
    if (!registration.ok())
        return HttpResponse{
            0, {}, {}, QStringLiteral("authenticator refused: ") + registration.domError};
    return finishRegistration(registration.json);
}

HttpResponse PasskeyUser::signIn(const std::optional<QString> &username, const SoftTweaks &tweaks)
{
    const HttpResponse started = startSignIn(username);
    if (started.status != 200)
        return started;
    const SoftAssertion assertion = assert_(started.json(), tweaks);
    if (!assertion.ok())
        return HttpResponse{0, {}, {}, QStringLiteral("authenticator refused: ") + assertion.domError};
    return finishSignIn(assertion.json);
}

HttpResponse PasskeyUser::get(const QString &path) { return m_http.get(path, bearer()); }

HttpResponse PasskeyUser::post(const QString &path, const QJsonObject &body)
{
    return m_http.post(path, body, bearer());
}

HttpResponse PasskeyUser::patch(const QString &path, const QJsonObject &body)
{
    return m_http.patch(path, body, bearer());
}

HttpResponse PasskeyUser::del(const QString &path) { return m_http.del(path, bearer()); }

} // namespace daarion::testing
