#pragma once
// Converting between Qt values and what QPSQL binds and returns: NULLs that
// keep their type, uuid read back as text, Postgres text[] literals.

#include <QByteArray>
#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <QVariant>

namespace daarion::store {

// A null QUuid / QDateTime / empty-and-null QString becomes SQL NULL.
QVariant nullableUuid(const QUuid &id);
QVariant nullableDateTime(const QDateTime &time);
QVariant nullableText(const QString &text); // QString() → NULL; "" stays ""
QVariant nullableBytes(const QByteArray &bytes); // QByteArray() → NULL

// {"a","b\"c"} for binding with ?::text[] (QPSQL cannot bind QStringList).
QString textArrayLiteral(const QStringList &values);
// Parses what QPSQL returns for a text[] column ("{a,\"b c\"}").
QStringList parseTextArray(const QString &literal);

// Readers for a column of the current row; NULL gives the null value.
QUuid uuidAt(const QSqlQuery &query, int column);
QString textAt(const QSqlQuery &query, int column);
QByteArray bytesAt(const QSqlQuery &query, int column);
QDateTime timeAt(const QSqlQuery &query, int column); // UTC
qint64 integerAt(const QSqlQuery &query, int column);
bool boolAt(const QSqlQuery &query, int column);

} // namespace daarion::store
