#include "shared/identity/api_keys.h"

#include "shared/store/database.h"

#include <QDateTime>
#include <QRegularExpression>

namespace daarion::identity {

namespace {
// What people see of a key once it is issued: enough to tell keys apart.
constexpr qsizetype kKeyPrefixLength = 11; // "dk_" + 8 characters

ServiceError invalid(const QString &message) { return serviceError(ErrorCode::InvalidRequest, message); }
} // namespace

bool isValidActorName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

bool isValidMicrodaoId(const QString &microdaoId)
{
    static const QRegularExpression pattern(QStringLiteral("^microdao:[A-Za-z0-9_.-]{1,64}$"));
    return pattern.match(microdaoId).hasMatch();
}

ServiceResult<IssuedApiKey> issueApiKeyFor(store::Database &database, const ApiKeyRequest &request,
                                           std::chrono::seconds apiKeyTtl,
                                           const store::AuditContext &audit)
{
    const bool byPerson = !request.createdByUserId.isNull();
    if (request.actorType != QLatin1String("agent") && request.actorType != QLatin1String("service"))
        return invalid(QStringLiteral("actor_type must be agent or service"));
    if (!isValidActorName(request.actorName))
        return invalid(QStringLiteral("name must be 1-64 characters of A-Z a-z 0-9 _ . -"));
    if (!request.microdaoId.isEmpty() && !isValidMicrodaoId(request.microdaoId))
        return invalid(QStringLiteral("microdao_id must look like microdao:<1-64 of A-Z a-z 0-9 _ . ->"));
    if (request.actorType == QLatin1String("service") && !request.microdaoId.isEmpty())
        return invalid(QStringLiteral("service keys are platform-wide and cannot be bound to a microDAO"));
    if (byPerson && request.microdaoId.isEmpty())
        return invalid(QStringLiteral("a person's key belongs to one of the microDAOs they run"));
    // A person's keys always expire, and within API_KEY_TTL: a key outlives
    // neither the setting nor (checked at use) its maker's role.
    const int longestDays = byPerson ? int(apiKeyTtl.count() / 86400) : kMaxApiKeyLifetimeDays;
    if (request.neverExpires && (byPerson || request.expiresInDays))
        return invalid(
            byPerson ? QStringLiteral("keys made by a person always expire")
                     : QStringLiteral("a key either expires after some days or never, not both"));
    if (request.expiresInDays &&
        (*request.expiresInDays < 1 || *request.expiresInDays > longestDays))
        return invalid(QStringLiteral("expires_days must be between 1 and %1").arg(longestDays));

    const IssuedSecret secret = issueApiKey();
    store::NewApiKey key;
    key.keyHash = secret.hash;
    key.keyPrefix = secret.text.left(kKeyPrefixLength);
    key.actorType = request.actorType;
    key.actorName = request.actorName;
    key.microdaoId = request.microdaoId;
    key.createdByUserId = request.createdByUserId;
    const bool serviceOfOperator = !byPerson && request.actorType == QLatin1String("service");
    if (request.expiresInDays)
        key.expiresAt = database.now().addDays(*request.expiresInDays);
    else if (!request.neverExpires && !serviceOfOperator)
        key.expiresAt = database.now().addSecs(apiKeyTtl.count());
    auto created = store::ApiKeyRepository(database).create(key, audit);
    if (!created)
        return fromStore(created.error());
    return IssuedApiKey{secret.text, std::move(created).value()};
}

bool mayAdministerMicrodao(const ActorIdentity &identity, const QString &microdaoId)
{
    if (identity.actorType != ActorType::Human)
        return false;
    for (const Membership &membership : identity.memberships) {
        if (membership.microdaoId == microdaoId &&
            (membership.role == QLatin1String("owner") || membership.role == QLatin1String("admin")))
            return true;
    }
    return false;
}

} // namespace daarion::identity
