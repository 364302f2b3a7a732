#include "server/cli/audit_json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace daarion::server
{

namespace
{

QJsonValue hexOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QJsonValue(QJsonValue::Null)
                           : QJsonValue(QString::fromLatin1(bytes.toHex()));
}

QJsonValue textOrNull(const std::optional<QString> &text)
{
    return text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null);
}

QJsonValue integerOrNull(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// xids leave the range of a JSON double's exact integers one day: strings.
QString xidText(quint64 xid)
{
    return QString::number(xid);
}

} // namespace

QString rfc3339Micros(qint64 micros)
{
    const qint64 seconds = micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000;
    const qint64 fraction = micros - seconds * 1'000'000;
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
           QStringLiteral(".%1Z").arg(fraction, 6, 10, QLatin1Char('0'));
}

QJsonObject checkpointJson(const audit::Checkpoint &checkpoint)
{
    return QJsonObject{
        {QStringLiteral("no"), checkpoint.no},
        {QStringLiteral("created_at"), rfc3339Micros(checkpoint.createdAtMicros)},
        {QStringLiteral("created_at_us"), checkpoint.createdAtMicros},
        {QStringLiteral("xid_from"), xidText(checkpoint.xidFrom)},
        {QStringLiteral("xid_to"), xidText(checkpoint.xidTo)},
        {QStringLiteral("row_count"), checkpoint.rowCount},
        {QStringLiteral("first_id"), integerOrNull(checkpoint.firstId)},
        {QStringLiteral("last_id"), integerOrNull(checkpoint.lastId)},
        {QStringLiteral("root_hash"), hexOrNull(checkpoint.rootHash)},
        {QStringLiteral("pruned_through"), integerOrNull(checkpoint.prunedThrough)},
        {QStringLiteral("prev_hash"), hexOrNull(checkpoint.prevHash)},
        {QStringLiteral("hash"), hexOrNull(checkpoint.hash)},
        {QStringLiteral("public_key"), hexOrNull(checkpoint.publicKey)},
        {QStringLiteral("signature"), hexOrNull(checkpoint.signature)},
    };
}

QJsonObject chainReportJson(const audit::ChainReport &report)
{
    QJsonArray problems;
    for (const audit::ChainProblem &problem : report.problems) {
        QJsonObject entry{{QStringLiteral("problem"), audit::chainProblemName(problem.kind)},
                          {QStringLiteral("message"), problem.message}};
        entry.insert(QStringLiteral("checkpoint"), problem.checkpoint > 0
                                                       ? QJsonValue(problem.checkpoint)
                                                       : QJsonValue(QJsonValue::Null));
        entry.insert(QStringLiteral("row_id"),
                     problem.rowId != 0 ? QJsonValue(problem.rowId) : QJsonValue(QJsonValue::Null));
        if (problem.otherRowId != 0)
            entry.insert(QStringLiteral("holds_row_id"), problem.otherRowId);
        problems.append(entry);
    }
    QJsonObject last;
    if (report.last) {
        last = checkpointJson(*report.last);
        last.remove(QStringLiteral("created_at_us"));
    }
    return QJsonObject{
        {QStringLiteral("intact"), report.intact()},
        {QStringLiteral("summary"), report.summary()},
        {QStringLiteral("checkpoints"), report.checkpoints},
        {QStringLiteral("intact_through"), report.intactThrough},
        {QStringLiteral("last_checkpoint"),
         report.last ? QJsonValue(last) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rows_checked"), report.rowsChecked},
        {QStringLiteral("rows_pending"), report.rowsPending},
        {QStringLiteral("oldest_pending_at"),
         report.oldestPendingMicros ? QJsonValue(rfc3339Micros(*report.oldestPendingMicros))
                                    : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("pruned_through"), report.prunedThrough},
        {QStringLiteral("signed_checkpoints"), report.signedCheckpoints},
        {QStringLiteral("unsigned_checkpoints"), report.unsignedCheckpoints},
        {QStringLiteral("signers"), QJsonArray::fromStringList(report.signers)},
        {QStringLiteral("keys_pinned"), report.keysPinned},
        {QStringLiteral("problem_count"), report.problemCount},
        {QStringLiteral("problems"), problems},
    };
}

QJsonObject exportedEventJson(const store::ExportedEvent &event)
{
    const audit::SealedRow &row = event.row;
    // details is a JSON object as the store writes it; anything else is passed on as it is.
    const QJsonDocument parsed = QJsonDocument::fromJson(row.details.toUtf8());
    const QJsonValue details = parsed.isObject()  ? QJsonValue(parsed.object())
                               : parsed.isArray() ? QJsonValue(parsed.array())
                                                  : QJsonValue(row.details);
    QJsonArray path;
    for (const QByteArray &hash : event.auditPath)
        path.append(QString::fromLatin1(hash.toHex()));
    return QJsonObject{
        {QStringLiteral("id"), row.id},
        {QStringLiteral("occurred_at"), rfc3339Micros(row.occurredAtMicros)},
        {QStringLiteral("event"), row.event},
        {QStringLiteral("outcome"), row.outcome},
        {QStringLiteral("error_code"), textOrNull(row.errorCode)},
        {QStringLiteral("user_id"), textOrNull(row.userId)},
        {QStringLiteral("username"), textOrNull(row.username)},
        {QStringLiteral("passkey_id"), textOrNull(row.passkeyId)},
        {QStringLiteral("credential_id"), textOrNull(row.credentialId)},
        {QStringLiteral("session_id"), textOrNull(row.sessionId)},
        {QStringLiteral("client_ip"), textOrNull(row.clientIp)},
        {QStringLiteral("user_agent"), textOrNull(row.userAgent)},
        {QStringLiteral("actor"), textOrNull(row.actor)},
        {QStringLiteral("details"), details},
        {QStringLiteral("xid"),
         row.xid ? QJsonValue(xidText(*row.xid)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("row_hash"), hexOrNull(row.storedHash)},
        {QStringLiteral("checkpoint"), checkpointJson(event.checkpoint)},
        {QStringLiteral("leaf_index"),
         event.leafIndex >= 0 ? QJsonValue(qint64(event.leafIndex)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("audit_path"), path},
    };
}

} // namespace daarion::server
