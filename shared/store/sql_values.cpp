#include "shared/store/sql_values.h"

#include <QSqlQuery>
#include <QTimeZone>

namespace daarion::store {

QVariant nullableUuid(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(id.toString(QUuid::WithoutBraces));
}

QVariant nullableDateTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toUTC()) : QVariant(QMetaType::fromType<QDateTime>());
}

QVariant nullableText(const QString &text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableBytes(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

QString textArrayLiteral(const QStringList &values)
{
    QString literal = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            literal += QLatin1Char(',');
        QString item = values.at(i);
        item.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        item.replace(QLatin1Char('"'), QLatin1String("\\\""));
        literal += QLatin1Char('"') + item + QLatin1Char('"');
    }
    return literal + QLatin1Char('}');
}

QStringList parseTextArray(const QString &literal)
{
    QStringList values;
    if (literal.size() < 2 || !literal.startsWith(QLatin1Char('{')) || !literal.endsWith(QLatin1Char('}')))
        return values;
    const QStringView body = QStringView(literal).mid(1, literal.size() - 2);
    if (body.isEmpty())
        return values;
    QString current;
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        if (quoted) {
            if (c == QLatin1Char('\\') && i + 1 < body.size()) {
                current += body.at(++i);
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
            wasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            if (wasQuoted || current != QLatin1String("NULL"))
                values << current;
            current.clear();
            wasQuoted = false;
        } else {
            current += c;
        }
    }
    if (wasQuoted || current != QLatin1String("NULL"))
        values << current;
    return values;
}

QUuid uuidAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? QUuid() : QUuid::fromString(value.toString());
}

QString textAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? QString() : value.toString();
}

QByteArray bytesAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? QByteArray() : value.toByteArray();
}

QDateTime timeAt(const QSqlQuery &query, int column)
{
    const QVariant value = query.value(column);
    return value.isNull() ? QDateTime() : value.toDateTime().toUTC();
}

qint64 integerAt(const QSqlQuery &query, int column)
{
    return query.value(column).toLongLong();
}

bool boolAt(const QSqlQuery &query, int column)
{
    return query.value(column).toBool();
}

} // namespace daarion::store
