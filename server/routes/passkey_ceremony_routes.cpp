#include "server/routes/passkey_ceremony_routes.h"

#include "server/http/api_error.h"
#include "server/http/rate_limiter.h"
#include "server/routes/api_json.h"
#include "server/routes/request_caller.h"
#include "shared/identity/passkey_ceremonies.h"
#include "shared/store/database.h"
#include "shared/webauthn/response_json.h"

#include <QJsonObject>

#include <memory>

namespace daarion::server {

namespace {

constexpr int kMaxDeviceNameLength = 64;

struct CeremonyRoutes {
    const ServiceContext &context;
    webauthn::TrustAnchors trustAnchors;
    std::unique_ptr<identity::PasskeyCeremonies> ceremonies;

    store::Database &database() const { return store::Database::forThisThread(context.database); }

    // device_name is optional everywhere; when sent it must be a short plain string.
    static std::optional<ApiResponse> readDeviceName(const QJsonObject &body, QString &name)
    {
        const QJsonValue value = body.value(QLatin1String("device_name"));
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        name = value.toString();
        if (!value.isString() || name.size() > kMaxDeviceNameLength ||
            !identity::PasskeyCeremonies::isValidDisplayName(name))
            return invalidRequest(QStringLiteral("device_name must be a string of at most 64 characters"));
        return std::nullopt;
    }

    ApiResponse registerStart(const ApiRequest &request) const
    {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        QString deviceName;
        if (auto refused = readDeviceName(body.object, deviceName))
            return *refused;
        // WebAuthn L3 conditional create: the page will call create() with
        // mediation "conditional" for a person who is signed in already.
        const QJsonValue conditionalValue = body.object.value(QLatin1String("conditional"));
        if (!conditionalValue.isUndefined() && !conditionalValue.isNull() &&
            !conditionalValue.isBool())
            return invalidRequest(QStringLiteral("conditional must be true or false"));
        const bool conditional = conditionalValue.toBool(false);

        const QJsonValue usernameValue = body.object.value(QLatin1String("username"));
        if (conditional && !usernameValue.isUndefined())
            return invalidRequest(
                QStringLiteral("conditional create adds a passkey to a signed-in account; "
                               "a new account is created with the browser's prompt"));
        const QJsonValue tokenValue = body.object.value(QLatin1String("enrollment_token"));
        if (!tokenValue.isUndefined()) {
            // An enrollment link: the token decides the account, whoever calls.
            if (!usernameValue.isUndefined())
                return invalidRequest(
                    QStringLiteral("send a username or an enrollment_token, not both"));
            if (conditional)
                return invalidRequest(QStringLiteral(
                    "an enrollment link is used with the browser's prompt, not a conditional create"));
            if (!tokenValue.isString())
                return invalidRequest(QStringLiteral("enrollment_token must be a string"));
            auto options =
                ceremonies->startEnrollment(database(), tokenValue.toString(), deviceName);
            if (!options)
                return apiError(options.error());
            return ApiResponse::json(creationOptionsJson(options.value()));
        }
        if (!usernameValue.isUndefined()) {
            // A new account.
            const QString username = usernameValue.toString();
            if (!usernameValue.isString() || !identity::PasskeyCeremonies::isValidUsername(username))
                return invalidRequest(QStringLiteral("username must be 3-32 characters of a-z 0-9 _ . -"));
            const QJsonValue displayValue = body.object.value(QLatin1String("display_name"));
            const QString displayName = displayValue.toString();
            if (!(displayValue.isUndefined() || displayValue.isNull() || displayValue.isString()) ||
                !identity::PasskeyCeremonies::isValidDisplayName(displayName))
                return invalidRequest(QStringLiteral("display_name must be a string of at most 64 characters"));
            if (auto limited = request.limitUsername(username, UsernameBucket::SignUp))
                return *limited;
            auto options = ceremonies->startSignUp(database(), username, displayName, deviceName);
            if (!options)
                return apiError(options.error());
            return ApiResponse::json(creationOptionsJson(options.value()));
        }

        // Another passkey for the signed-in account.
        if (presentedCredential(request, context).kind == identity::CredentialKind::None) {
            if (conditional)
                return apiError(identity::ErrorCode::Unauthenticated,
                                QStringLiteral("conditional create is for a signed-in person"));
            return invalidRequest(QStringLiteral("send a username to create an account, or sign in "
                                                 "to add a passkey to yours"));
        }
        auto caller = resolveCaller(request, context, database());
        if (!caller)
            return apiError(caller.error());
        if (!caller->isHuman())
            return apiError(identity::ErrorCode::Forbidden,
                            QStringLiteral("only a signed-in person can add a passkey"));
        auto options =
            ceremonies->startAddPasskey(database(), caller->session->user, deviceName, conditional);
        if (!options)
            return apiError(options.error());
        return ApiResponse::json(creationOptionsJson(options.value()));
    }

    ApiResponse registerFinish(const ApiRequest &request) const
    {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        QString deviceName;
        if (auto refused = readDeviceName(body.object, deviceName))
            return *refused;
        std::optional<QString> enrollmentToken;
        if (const QJsonValue token = body.object.value(QLatin1String("enrollment_token"));
            !token.isUndefined()) {
            if (!token.isString())
                return invalidRequest(QStringLiteral("enrollment_token must be a string"));
            enrollmentToken = token.toString();
        }
        auto response = webauthn::registrationResponseFromJson(body.object);
        if (!response)
            return apiError(response.error());

        std::optional<store::UserRecord> signedIn;
        if (presentedCredential(request, context).kind != identity::CredentialKind::None) {
            auto caller = resolveCaller(request, context, database());
            if (caller && caller->isHuman())
                signedIn = caller->session->user;
            else if (!caller && (caller.error().code == identity::ErrorCode::Unavailable ||
                                 caller.error().code == identity::ErrorCode::InvalidRequest))
                return apiError(
                    caller.error()); // a stale session may still sign up; a doubled cookie may not
        }

        auto done =
            ceremonies->finishRegistration(database(), response.value(), signedIn, deviceName,
                                           requestOrigin(request), enrollmentToken);
        if (!done)
            return apiError(done.error());
        const QJsonObject credential = passkeyJson(done->passkey, done->authenticator);
        if (!done->session)
            return ApiResponse::json(QJsonObject{{QStringLiteral("credential"), credential}});
        QJsonObject answer{
            {QStringLiteral("session_token"), done->session->token},
            {QStringLiteral("expires_at"), rfc3339(done->session->expiresAt)},
            {QStringLiteral("actor"), actorIdentityJson(done->actor)},
            {QStringLiteral("credential"), credential},
        };
        // An enrollment link says what it did, for the page to tell the person.
        if (done->enrollment)
            answer.insert(QStringLiteral("sessions_revoked"), done->sessionsRevoked);
        return ApiResponse::json(answer).withHeader("Set-Cookie",
                                                    sessionCookie(context, *done->session));
    }

    ApiResponse authenticateStart(const ApiRequest &request) const
    {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        std::optional<QString> username;
        const QJsonValue usernameValue = body.object.value(QLatin1String("username"));
        if (!usernameValue.isUndefined() && !usernameValue.isNull()) {
            if (!usernameValue.isString() ||
                !identity::PasskeyCeremonies::isValidUsername(usernameValue.toString()))
                return invalidRequest(QStringLiteral("username must be 3-32 characters of a-z 0-9 _ . -"));
            username = usernameValue.toString();
            if (auto limited = request.limitUsername(*username, UsernameBucket::SignIn))
                return *limited;
        }
        auto options = ceremonies->startAuthentication(database(), username);
        if (!options)
            return apiError(options.error());
        return ApiResponse::json(requestOptionsJson(options.value()));
    }

    ApiResponse authenticateFinish(const ApiRequest &request) const
    {
        const JsonBody body = request.jsonBody();
        if (!body.ok())
            return *body.error;
        auto response = webauthn::assertionResponseFromJson(body.object);
        if (!response)
            return apiError(response.error());
        auto done = ceremonies->finishAuthentication(database(), response.value(), requestOrigin(request));
        if (!done)
            return apiError(done.error());
        return ApiResponse::json(
                   QJsonObject{
                       {QStringLiteral("session_token"), done->session.token},
                       {QStringLiteral("expires_at"), rfc3339(done->session.expiresAt)},
                       {QStringLiteral("actor"), actorIdentityJson(done->actor)},
                   })
            .withHeader("Set-Cookie", sessionCookie(context, done->session));
    }
};

} // namespace

QString registerPasskeyCeremonyRoutes(ApiRouter &router, const ServiceContext &context)
{
    auto routes = std::make_shared<CeremonyRoutes>(CeremonyRoutes{context, {}, nullptr});
    if (!context.settings.attestationRootsDirectory.isEmpty()) {
        auto loaded = routes->trustAnchors.loadDirectory(context.settings.attestationRootsDirectory);
        if (!loaded)
            return QStringLiteral("ATTESTATION_ROOTS: ") + loaded.error().message;
    }
    routes->ceremonies =
        std::make_unique<identity::PasskeyCeremonies>(context.settings, routes->trustAnchors);

    const RouteOptions ceremony{.rateLimit = RateLimit::Ceremony};
    router.post(QStringLiteral("/auth/passkey/register/start"),
                [routes](const ApiRequest &r) { return routes->registerStart(r); }, ceremony);
    router.post(QStringLiteral("/auth/passkey/register/finish"),
                [routes](const ApiRequest &r) { return routes->registerFinish(r); }, ceremony);
    router.post(QStringLiteral("/auth/passkey/authenticate/start"),
                [routes](const ApiRequest &r) { return routes->authenticateStart(r); }, ceremony);
    router.post(QStringLiteral("/auth/passkey/authenticate/finish"),
                [routes](const ApiRequest &r) { return routes->authenticateFinish(r); }, ceremony);
    return {};
}

} // namespace daarion::server
