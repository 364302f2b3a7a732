#include "console/audit/audit_csv.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace daarion::console {

QString csvField(const QString &value)
{
    QString text = value;
    // A cell beginning with = + - @ (or a tab / CR) is a formula to a spreadsheet.
    if (!text.isEmpty() && QStringLiteral("=+-@\t\r").contains(text.front()))
        text.prepend(QLatin1Char('\''));
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n')) ||
        text.contains(QLatin1Char('\r'))) {
        text.replace(QLatin1String("\""), QLatin1String("\"\""));
        text = QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

bool writeAuditCsv(QIODevice &device, const QList<store::AuditRecord> &records)
{
    auto line = [&device](const QStringList &fields) {
        QStringList quoted;
        for (const QString &field : fields)
            quoted.append(csvField(field));
        const QByteArray bytes = (quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8();
        return device.write(bytes) == bytes.size();
    };
    if (!line({QStringLiteral("id"), QStringLiteral("occurred_at"), QStringLiteral("event"), QStringLiteral("outcome"),
               QStringLiteral("error_code"), QStringLiteral("user_id"), QStringLiteral("username"),
               QStringLiteral("passkey_id"), QStringLiteral("credential_id"), QStringLiteral("session_id"),
               QStringLiteral("client_ip"), QStringLiteral("user_agent"), QStringLiteral("actor"),
               QStringLiteral("details")}))
        return false;
    auto uuid = [](const QUuid &id) { return id.isNull() ? QString() : id.toString(QUuid::WithoutBraces); };
    for (const store::AuditRecord &record : records) {
        const store::AuditEvent &event = record.event;
        const QString details =
            event.details.isEmpty()
                ? QString()
                : QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(event.details)).toJson(QJsonDocument::Compact));
        if (!line({QString::number(record.id), record.occurredAt.toUTC().toString(Qt::ISODateWithMs),
                   record.eventName,
                   event.success ? QStringLiteral("success") : QStringLiteral("failure"), event.errorCode,
                   uuid(event.userId), event.username, uuid(event.passkeyId), event.credentialId,
                   uuid(event.sessionId), event.clientIp, event.userAgent, event.actor, details}))
            return false;
    }
    return true;
}

} // namespace daarion::console
