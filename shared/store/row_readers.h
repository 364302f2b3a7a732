#pragma once
// Internal to the store: the column lists each record is read from and the
// functions that read them, so a join can select several records in one row
// (COLUMNS of one, then of the next) and read each from its offset.

#include "shared/store/api_key_repository.h"
#include "shared/store/audit_repository.h"
#include "shared/store/challenge_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"

#include <QSqlQuery>
#include <QString>

namespace daarion::store::rows {

// Column lists qualified by a table alias; each reader returns the record
// and advances `column` past its columns.
QString userColumns(const QString &alias);
UserRecord readUser(const QSqlQuery &query, int &column);
constexpr int userColumnCount = 7;

QString passkeyColumns(const QString &alias);
PasskeyRecord readPasskey(const QSqlQuery &query, int &column);

// Needs a relation `params` with columns idle_seconds and now in the FROM
// clause (sessionParams below), so the state is judged at the clock's time.
QString sessionColumns(const QString &alias);
QString sessionStateExpression(const QString &alias);
// The same columns for a row known to be live (INSERT … RETURNING).
QString sessionColumnsLive(const QString &alias);
// " CROSS JOIN (SELECT ?::bigint AS idle_seconds, ?::timestamptz AS now) params"
QString sessionParams();
SessionRecord readSession(const QSqlQuery &query, int &column);

QString challengeColumns(const QString &alias);
ChallengeRecord readChallenge(const QSqlQuery &query, int &column);

// The link's columns, then the username of `userAlias` (joined on user_id).
QString enrollmentColumns(const QString &alias, const QString &userAlias);
EnrollmentRecord readEnrollment(const QSqlQuery &query, int &column);

QString apiKeyColumns(const QString &alias);
// `state` is judged at `now` (the store's clock).
ApiKeyRecord readApiKey(const QSqlQuery &query, int &column, const QDateTime &now);
// SQL truth value: the key of api_keys row `alias` answers to no person, or
// its maker is enabled and owner or admin of its microDAO.
QString apiKeyIssuerMayAct(const QString &alias);

QString membershipColumns(const QString &membershipAlias, const QString &userAlias);
MembershipRecord readMembership(const QSqlQuery &query, int &column);

QString auditColumns(const QString &alias);
AuditRecord readAudit(const QSqlQuery &query, int &column);

// JSON array of {microdao_id, role, created_at} → records (for one-round-trip lookups).
QList<MembershipRecord> membershipsFromJson(const QString &json, const QUuid &userId, const QString &username);
// SQL yielding that JSON array for the user id expression given.
QString membershipsJson(const QString &userIdExpression);

// Clamp client-supplied paging.
int clampLimit(int limit);
int clampOffset(int offset);
// LIKE pattern for a substring search, with %, _ and \ escaped.
QString containsPattern(const QString &text);

} // namespace daarion::store::rows
