#include "shared/store/sql_script.h"

#include <QRegularExpression>

namespace daarion::store {

namespace {

bool isBlankOrComment(const QString &statement)
{
    static const QRegularExpression onlyComments(
        QStringLiteral("^(\\s|--[^\\n]*(\\n|$)|/\\*.*?\\*/)*$"),
        QRegularExpression::DotMatchesEverythingOption);
    return onlyComments.match(statement).hasMatch();
}

} // namespace

QStringList splitSqlScript(const QString &script)
{
    QStringList statements;
    QString current;
    const qsizetype n = script.size();
    qsizetype i = 0;
    auto flush = [&] {
        if (!isBlankOrComment(current))
            statements << current.trimmed();
        current.clear();
    };
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            const qsizetype end = script.indexOf(QLatin1Char('\n'), i);
            const qsizetype stop = end < 0 ? n : end + 1;
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            int depth = 0; // PostgreSQL block comments nest
            qsizetype j = i;
            while (j < n) {
                if (script.at(j) == QLatin1Char('/') && j + 1 < n && script.at(j + 1) == QLatin1Char('*')) {
                    ++depth;
                    j += 2;
                } else if (script.at(j) == QLatin1Char('*') && j + 1 < n && script.at(j + 1) == QLatin1Char('/')) {
                    j += 2;
                    if (--depth == 0)
                        break;
                } else {
                    ++j;
                }
            }
            current += script.mid(i, j - i);
            i = j;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            // E'…' strings take backslash escapes; others double the quote.
            const bool escapes = c == QLatin1Char('\'') && i > 0 &&
                                 (script.at(i - 1) == QLatin1Char('E') || script.at(i - 1) == QLatin1Char('e'));
            qsizetype j = i + 1;
            while (j < n) {
                if (escapes && script.at(j) == QLatin1Char('\\')) {
                    j += 2;
                } else if (script.at(j) == c) {
                    if (j + 1 < n && script.at(j + 1) == c)
                        j += 2;
                    else
                        break;
                } else {
                    ++j;
                }
            }
            const qsizetype stop = qMin(n, j + 1);
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == QLatin1Char('$')) {
            static const QRegularExpression tagPattern(QStringLiteral("\\G\\$([A-Za-z_][A-Za-z0-9_]*)?\\$"));
            const auto tag = tagPattern.match(script, i);
            const bool partOfIdentifier = i > 0 && (script.at(i - 1).isLetterOrNumber() || script.at(i - 1) == QLatin1Char('_'));
            if (!tag.hasMatch() || partOfIdentifier) {
                current += c;
                ++i;
                continue;
            }
            const QString delimiter = tag.captured(0);
            const qsizetype end = script.indexOf(delimiter, i + delimiter.size());
            const qsizetype stop = end < 0 ? n : end + delimiter.size();
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == QLatin1Char(';')) {
            flush();
            ++i;
        } else {
            current += c;
            ++i;
        }
    }
    flush();
    return statements;
}

} // namespace daarion::store
