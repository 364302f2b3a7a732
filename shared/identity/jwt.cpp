#include "shared/identity/jwt.h"

#include "shared/webauthn/bytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <openssl/evp.h>

#include <optional>
#include <stdexcept>

namespace daarion::identity {

namespace {

// The only header written and accepted, byte for byte after decoding.
const QByteArray kHeaderJson = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})");
constexpr qint64 kClockSkewSeconds = 60;

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outLength = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.constData(), size_t(key.size()),
                   reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out,
                   sizeof out, &outLength))
        throw std::runtime_error("HMAC-SHA256 failed");
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(outLength));
}

std::optional<ActorType> actorTypeFromName(const QString &name)
{
    if (name == QLatin1String("human"))
        return ActorType::Human;
    if (name == QLatin1String("agent"))
        return ActorType::Agent;
    if (name == QLatin1String("service"))
        return ActorType::Service;
    return std::nullopt;
}

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part)
{
    const auto bytes = webauthn::decodeBase64Url(part);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// Whole seconds only; a JSON number that is not an integer is malformed.
std::optional<qint64> secondsClaim(const QJsonObject &claims, const QString &name)
{
    const QJsonValue value = claims.value(name);
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number < 0 || number > 253402300799.0 || number != double(qint64(number)))
        return std::nullopt;
    return qint64(number);
}

std::optional<ActorIdentity> identityFromClaims(const QJsonObject &claims)
{
    const auto type = actorTypeFromName(claims.value(QLatin1String("actor_type")).toString());
    const QString subject = claims.value(QLatin1String("sub")).toString();
    if (!type || subject.isEmpty())
        return std::nullopt;
    ActorIdentity identity;
    identity.actorType = *type;
    identity.actorId = subject;
    const QString expectedPrefix = *type == ActorType::Human ? QStringLiteral("user:")
                                                             : actorTypeName(*type) + QLatin1Char(':');
    if (!subject.startsWith(expectedPrefix) || subject.size() == expectedPrefix.size())
        return std::nullopt;
    if (*type == ActorType::Human) {
        identity.userId = subject.mid(expectedPrefix.size());
        identity.username = claims.value(QLatin1String("username")).toString();
        identity.displayName = claims.value(QLatin1String("display_name")).toString();
    }
    const QJsonValue memberships = claims.value(QLatin1String("memberships"));
    if (!memberships.isArray())
        return std::nullopt;
    for (const QJsonValue &entry : memberships.toArray()) {
        const QJsonObject membership = entry.toObject();
        const QString microdao = membership.value(QLatin1String("microdao_id")).toString();
        const QString role = membership.value(QLatin1String("role")).toString();
        if (microdao.isEmpty() || role.isEmpty())
            return std::nullopt;
        identity.memberships.append({microdao, role});
    }
    return identity;
}

} // namespace

QString jwtRejectionName(JwtRejection rejection)
{
    switch (rejection) {
    case JwtRejection::Malformed: return QStringLiteral("malformed");
    case JwtRejection::UnsupportedHeader: return QStringLiteral("unsupported_header");
    case JwtRejection::BadSignature: return QStringLiteral("bad_signature");
    case JwtRejection::Expired: return QStringLiteral("expired");
    case JwtRejection::NotYetValid: return QStringLiteral("not_yet_valid");
    }
    return QStringLiteral("malformed");
}

bool looksLikeJwt(const QString &presented) { return presented.count(QLatin1Char('.')) == 2; }

IssuedJwt issueJwt(const ActorIdentity &identity, const QByteArray &secret, const QDateTime &now,
                   std::chrono::seconds lifetime)
{
    IssuedJwt issued;
    issued.jti = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const qint64 iat = now.toSecsSinceEpoch();
    issued.issuedAt = QDateTime::fromSecsSinceEpoch(iat, Qt::UTC);
    issued.expiresAt = issued.issuedAt.addSecs(lifetime.count());

    QJsonArray memberships;
    for (const Membership &membership : identity.memberships)
        memberships.append(QJsonObject{{QStringLiteral("microdao_id"), membership.microdaoId},
                                       {QStringLiteral("role"), membership.role}});
    QJsonObject claims{
        {QStringLiteral("sub"), identity.actorId},
        {QStringLiteral("actor_type"), actorTypeName(identity.actorType)},
        {QStringLiteral("roles"), QJsonArray::fromStringList(identity.roles())},
        {QStringLiteral("microdao_ids"), QJsonArray::fromStringList(identity.microdaoIds())},
        {QStringLiteral("memberships"), memberships},
        {QStringLiteral("iat"), iat},
        {QStringLiteral("exp"), iat + lifetime.count()},
        {QStringLiteral("jti"), issued.jti},
    };
    if (identity.actorType == ActorType::Human) {
        claims.insert(QStringLiteral("username"), identity.username);
        claims.insert(QStringLiteral("display_name"), identity.displayName);
    }
    const QByteArray signingInput = webauthn::encodeBase64Url(kHeaderJson) + '.' +
                                    webauthn::encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    issued.token = QString::fromLatin1(signingInput + '.' + webauthn::encodeBase64Url(hmacSha256(secret, signingInput)));
    return issued;
}

JwtVerdict verifyJwt(const QString &token, const QByteArray &secret, const QDateTime &now)
{
    JwtVerdict verdict;
    auto refuse = [&verdict](JwtRejection why) {
        verdict.valid = false;
        verdict.rejection = why;
        return verdict;
    };
    if (token.isEmpty() || token.size() > kMaxJwtLength || !looksLikeJwt(token) || secret.isEmpty())
        return refuse(JwtRejection::Malformed);
    const QByteArray text = token.toLatin1();
    const qsizetype firstDot = text.indexOf('.');
    const qsizetype lastDot = text.lastIndexOf('.');
    const QByteArrayView headerPart = QByteArrayView(text).first(firstDot);
    const QByteArrayView signingInput = QByteArrayView(text).first(lastDot);
    const QByteArrayView claimsPart = QByteArrayView(text).sliced(firstDot + 1, lastDot - firstDot - 1);

    const auto header = webauthn::decodeBase64Url(headerPart);
    if (!header)
        return refuse(JwtRejection::Malformed);
    if (*header != kHeaderJson) {
        // Any other header (alg "none", RS256, a kid…) is not ours to interpret.
        const auto object = decodeJsonPart(headerPart);
        return refuse(object ? JwtRejection::UnsupportedHeader : JwtRejection::Malformed);
    }
    const auto signature = webauthn::decodeBase64Url(QByteArrayView(text).sliced(lastDot + 1));
    if (!signature)
        return refuse(JwtRejection::Malformed);
    // The signature before anything in the claims is believed.
    if (!webauthn::constantTimeEquals(*signature, hmacSha256(secret, signingInput.toByteArray())))
        return refuse(JwtRejection::BadSignature);

    const auto claims = decodeJsonPart(claimsPart);
    if (!claims)
        return refuse(JwtRejection::Malformed);
    const auto iat = secondsClaim(*claims, QStringLiteral("iat"));
    const auto exp = secondsClaim(*claims, QStringLiteral("exp"));
    const QString jti = claims->value(QLatin1String("jti")).toString();
    const auto identity = identityFromClaims(*claims);
    if (!iat || !exp || jti.isEmpty() || !identity)
        return refuse(JwtRejection::Malformed);
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    if (nowSeconds >= *exp)
        return refuse(JwtRejection::Expired);
    if (*iat > nowSeconds + kClockSkewSeconds)
        return refuse(JwtRejection::NotYetValid);

    verdict.valid = true;
    verdict.token = VerifiedJwt{*identity, jti, QDateTime::fromSecsSinceEpoch(*iat, Qt::UTC),
                                QDateTime::fromSecsSinceEpoch(*exp, Qt::UTC)};
    return verdict;
}

} // namespace daarion::identity
