#include "shared/store/membership_repository.h"

#include "shared/store/database.h"
#include "shared/store/row_readers.h"
#include "shared/store/sql_values.h"
#include "shared/store/transaction.h"

#include <QSqlQuery>

namespace daarion::store {

namespace {

const QString membershipSelect = QStringLiteral("SELECT ") +
                                 rows::membershipColumns(QStringLiteral("m"), QStringLiteral("u")) +
                                 QStringLiteral(" FROM user_microdao_memberships m JOIN users u ON u.id = m.user_id");

StoreResult<QList<MembershipRecord>> readAll(StoreResult<QSqlQuery *> result)
{
    if (!result)
        return result.error();
    QList<MembershipRecord> memberships;
    while ((*result)->next()) {
        int column = 0;
        memberships << rows::readMembership(**result, column);
    }
    return memberships;
}

} // namespace

StoreResult<QList<MembershipRecord>> MembershipRepository::listByUser(const QUuid &userId)
{
    static const QString sql = membershipSelect + QStringLiteral(" WHERE m.user_id = ?::uuid ORDER BY m.microdao_id");
    return readAll(m_database.run(sql, {nullableUuid(userId)}));
}

StoreResult<QList<MembershipRecord>> MembershipRepository::listByMicrodao(const QString &microdaoId)
{
    static const QString sql = membershipSelect + QStringLiteral(" WHERE m.microdao_id = ? ORDER BY u.username");
    return readAll(m_database.run(sql, {microdaoId}));
}

StoreResult<QList<MembershipRecord>> MembershipRepository::listAll(int limit, int offset)
{
    static const QString sql =
        membershipSelect + QStringLiteral(" ORDER BY m.microdao_id, u.username LIMIT ?::integer OFFSET ?::integer");
    return readAll(m_database.run(sql, {rows::clampLimit(limit), rows::clampOffset(offset)}));
}

StoreResult<MembershipRecord> MembershipRepository::find(const QUuid &userId, const QString &microdaoId)
{
    static const QString sql = membershipSelect + QStringLiteral(" WHERE m.user_id = ?::uuid AND m.microdao_id = ?");
    auto all = readAll(m_database.run(sql, {nullableUuid(userId), microdaoId}));
    if (!all)
        return all.error();
    if (all->isEmpty())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such membership"));
    return all->first();
}

StoreResult<MembershipRecord> MembershipRepository::grant(const QUuid &userId, const QString &microdaoId,
                                                          const QString &role, const AuditContext &context)
{
    static const QString upsert = QStringLiteral(
        "WITH m AS (INSERT INTO user_microdao_memberships (user_id, microdao_id, role) VALUES (?::uuid, ?, ?)"
        " ON CONFLICT (user_id, microdao_id) DO UPDATE SET role = EXCLUDED.role RETURNING *) SELECT ") +
        rows::membershipColumns(QStringLiteral("m"), QStringLiteral("u")) +
        QStringLiteral(" FROM m JOIN users u ON u.id = m.user_id");
    static const QString previous =
        QStringLiteral("SELECT role FROM user_microdao_memberships WHERE user_id = ?::uuid AND microdao_id = ?");

    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto before = m_database.run(previous, {nullableUuid(userId), microdaoId});
    if (!before)
        return before.error();
    const QString previousRole = (*before)->next() ? textAt(**before, 0) : QString();
    auto granted = readAll(m_database.run(upsert, {nullableUuid(userId), microdaoId, role}));
    if (!granted) {
        if (granted.kind() == StoreErrorKind::NotFound)
            return storeError(StoreErrorKind::NotFound, QStringLiteral("no such user"));
        return granted.error();
    }
    if (granted->isEmpty())
        return storeError(StoreErrorKind::Failed, QStringLiteral("membership upsert returned nothing"));
    const MembershipRecord membership = granted->first();
    AuditEvent event;
    event.type = AuditEventType::MembershipGranted;
    event.userId = membership.userId;
    event.username = membership.username;
    event.from(context);
    event.details.insert(QStringLiteral("microdao_id"), membership.microdaoId);
    event.details.insert(QStringLiteral("role"), membership.role);
    if (!previousRole.isEmpty())
        event.details.insert(QStringLiteral("previous_role"), previousRole);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    if (auto committed = transaction.commit(); !committed)
        return committed.error();
    return membership;
}

StoreCheck MembershipRepository::revoke(const QUuid &userId, const QString &microdaoId, const AuditContext &context)
{
    static const QString remove = QStringLiteral(
        "WITH m AS (DELETE FROM user_microdao_memberships WHERE user_id = ?::uuid AND microdao_id = ? RETURNING *)"
        " SELECT ") + rows::membershipColumns(QStringLiteral("m"), QStringLiteral("u")) +
        QStringLiteral(" FROM m JOIN users u ON u.id = m.user_id");
    Transaction transaction(m_database);
    if (auto begun = transaction.begin(); !begun)
        return begun.error();
    auto removed = readAll(m_database.run(remove, {nullableUuid(userId), microdaoId}));
    if (!removed)
        return removed.error();
    if (removed->isEmpty())
        return storeError(StoreErrorKind::NotFound, QStringLiteral("no such membership"));
    AuditEvent event;
    event.type = AuditEventType::MembershipRevoked;
    event.userId = removed->first().userId;
    event.username = removed->first().username;
    event.from(context);
    event.details.insert(QStringLiteral("microdao_id"), microdaoId);
    event.details.insert(QStringLiteral("role"), removed->first().role);
    if (auto audited = AuditRepository(m_database).append(event); !audited)
        return audited.error();
    return transaction.commit();
}

} // namespace daarion::store
