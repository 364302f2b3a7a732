#include "shared/metadata/metadata_blob.h"

#include "shared/metadata/authenticator_status.h"
#include "shared/webauthn/attestation/certificate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace daarion::metadata
{

namespace
{

constexpr double kMaxSafeInteger = 9007199254740991.0; // 2^53 - 1: exact in a JSON number

MetadataError invalid(const QString &detail)
{
    return metadataError(MetadataErrorCode::InvalidPayload, detail);
}

// "YYYY-MM-DD" (MDS dates are ISO 8601 dates without a time).
std::optional<QDate> isoDate(const QJsonValue &value)
{
    static const QRegularExpression pattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!value.isString() || !pattern.match(value.toString()).hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(value.toString(), Qt::ISODate);
    if (!date.isValid())
        return std::nullopt;
    return date;
}

bool isImageDataUri(const QString &icon)
{
    static const QRegularExpression pattern(
        QStringLiteral("^data:image/(png|jpeg|gif|webp|svg\\+xml);base64,[A-Za-z0-9+/]+={0,2}$"));
    return pattern.match(icon).hasMatch();
}

// Vendors list the same roots under many models: each distinct certificate
// is parsed once per BLOB (OpenSSL 3 decodes the key of every certificate it
// reads, ~0.3 ms each).
struct CertificateVerdicts {
    QSet<QByteArray> valid;
    QSet<QByteArray> invalid;
    bool isCertificate(const QByteArray &der)
    {
        if (valid.contains(der))
            return true;
        if (invalid.contains(der))
            return false;
        const bool ok = webauthn::parseCertificate(der).ok();
        (ok ? valid : invalid).insert(der);
        return ok;
    }
};

struct EntryParser {
    MetadataBlob &blob;
    CertificateVerdicts &certificates;
    QString where; // "entries[12] (aaguid …)" for messages

    MetadataCheck statusReports(const QJsonValue &value, MetadataEntry &entry)
    {
        if (value.isUndefined())
            return invalid(where + QStringLiteral(": statusReports is missing"));
        if (!value.isArray())
            return invalid(where + QStringLiteral(": statusReports is not an array"));
        const QJsonArray reports = value.toArray();
        if (reports.size() > kMaxStatusReports)
            return invalid(where +
                           QStringLiteral(": more than %1 status reports").arg(kMaxStatusReports));
        static const QRegularExpression statusPattern(QStringLiteral("^[A-Za-z0-9_]+$"));
        for (qsizetype i = 0; i < reports.size(); ++i) {
            const QJsonObject report = reports.at(i).toObject();
            const QJsonValue status = report.value(QStringLiteral("status"));
            const QString text = status.toString();
            if (!reports.at(i).isObject() || !status.isString() || text.size() > kMaxStatusChars ||
                !statusPattern.match(text).hasMatch())
                return invalid(where +
                               QStringLiteral(": statusReports[%1] has no valid status").arg(i));
            StatusReport parsed{text, {}};
            const QJsonValue effective = report.value(QStringLiteral("effectiveDate"));
            if (!effective.isUndefined()) {
                const auto date = isoDate(effective);
                if (!date)
                    return invalid(
                        where +
                        QStringLiteral(": statusReports[%1].effectiveDate is not a date").arg(i));
                parsed.effectiveDate = *date;
            }
            entry.statusReports.append(parsed);
        }
        if (const StatusReport *latest = latestStatusReport(entry.statusReports)) {
            entry.status = latest->status;
            entry.statusEffectiveDate = latest->effectiveDate;
        }
        return webauthn::Ok{};
    }

    MetadataCheck statement(const QJsonValue &value, MetadataEntry &entry)
    {
        if (value.isUndefined())
            return webauthn::Ok{}; // optional in §3.1.1
        if (!value.isObject())
            return invalid(where + QStringLiteral(": metadataStatement is not an object"));
        const QJsonObject statement = value.toObject();

        const QJsonValue aaguid = statement.value(QStringLiteral("aaguid"));
        if (!aaguid.isUndefined() && parseAaguidText(aaguid.toString()) != entry.aaguid)
            return invalid(where +
                           QStringLiteral(": the statement's aaguid differs from the entry's"));

        const QJsonValue description = statement.value(QStringLiteral("description"));
        if (!description.isUndefined() && !description.isString())
            return invalid(where + QStringLiteral(": description is not a string"));
        entry.description = description.toString().trimmed();
        if (entry.description.size() > kMaxDescriptionChars)
            return invalid(where + QStringLiteral(": description longer than %1 characters")
                                       .arg(kMaxDescriptionChars));

        const QJsonValue icon = statement.value(QStringLiteral("icon"));
        if (!icon.isUndefined() && !icon.isString())
            return invalid(where + QStringLiteral(": icon is not a string"));
        if (icon.isString() && icon.toString().size() > kMaxIconChars)
            blob.warnings.append(
                where +
                QStringLiteral(": icon larger than %1 characters dropped").arg(kMaxIconChars));
        else if (icon.isString() && !isImageDataUri(icon.toString()))
            blob.warnings.append(where +
                                 QStringLiteral(": icon is not an image data: URI, dropped"));
        else
            entry.icon = icon.toString();

        const QJsonValue roots = statement.value(QStringLiteral("attestationRootCertificates"));
        if (roots.isUndefined())
            return webauthn::Ok{};
        if (!roots.isArray())
            return invalid(where + QStringLiteral(": attestationRootCertificates is not an array"));
        const QJsonArray list = roots.toArray();
        if (list.size() > kMaxEntryRoots)
            return invalid(
                where +
                QStringLiteral(": more than %1 attestation root certificates").arg(kMaxEntryRoots));
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isString())
                return invalid(
                    where +
                    QStringLiteral(": attestationRootCertificates[%1] is not a string").arg(i));
            const auto der = QByteArray::fromBase64Encoding(
                list.at(i).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!der || !certificates.isCertificate(*der)) {
                blob.warnings.append(
                    where + QStringLiteral(
                                ": attestationRootCertificates[%1] is not a certificate, dropped")
                                .arg(i));
                continue;
            }
            entry.attestationRoots.append(*der);
        }
        return webauthn::Ok{};
    }
};

} // namespace

bool MetadataEntry::compromised() const
{
    return isCompromisingStatusName(status);
}

QUuid parseAaguidText(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    if (!pattern.match(text).hasMatch())
        return QUuid();
    return QUuid::fromString(text);
}

const StatusReport *latestStatusReport(const QList<StatusReport> &reports)
{
    const StatusReport *latest = nullptr;
    for (const StatusReport &report : reports) {
        // An invalid QDate compares below every valid one.
        if (!latest || !(report.effectiveDate < latest->effectiveDate))
            latest = &report;
    }
    return latest;
}

MetadataResult<MetadataBlob> parseMetadataPayload(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return metadataError(
            MetadataErrorCode::MalformedJson,
            QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return metadataError(MetadataErrorCode::MalformedJson, QStringLiteral("not an object"));
    const QJsonObject payload = document.object();

    MetadataBlob blob;
    const QJsonValue no = payload.value(QStringLiteral("no"));
    const double number = no.toDouble(-1);
    if (!no.isDouble() || number < 0 || number > kMaxSafeInteger || std::floor(number) != number)
        return invalid(QStringLiteral("no must be a whole number from 0 to 2^53-1"));
    blob.number = qint64(number);

    const auto nextUpdate = isoDate(payload.value(QStringLiteral("nextUpdate")));
    if (!nextUpdate)
        return invalid(QStringLiteral("nextUpdate must be a date (YYYY-MM-DD)"));
    blob.nextUpdate = *nextUpdate;

    const QJsonValue legalHeader = payload.value(QStringLiteral("legalHeader"));
    if (!legalHeader.isUndefined() &&
        (!legalHeader.isString() || legalHeader.toString().size() > 4096))
        return invalid(QStringLiteral("legalHeader must be a string of at most 4096 characters"));
    blob.legalHeader = legalHeader.toString();

    const QJsonValue entriesValue = payload.value(QStringLiteral("entries"));
    if (!entriesValue.isArray())
        return invalid(QStringLiteral("entries must be an array"));
    const QJsonArray entries = entriesValue.toArray();
    if (entries.size() > kMaxEntries)
        return invalid(
            QStringLiteral("%1 entries, at most %2").arg(entries.size()).arg(kMaxEntries));

    QSet<QUuid> seen;
    CertificateVerdicts certificates;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries.at(i).isObject())
            return invalid(QStringLiteral("entries[%1] is not an object").arg(i));
        const QJsonObject object = entries.at(i).toObject();
        const QJsonValue aaguid = object.value(QStringLiteral("aaguid"));
        if (aaguid.isUndefined()) {
            ++blob.skippedEntries;
            continue;
        }
        MetadataEntry entry;
        entry.aaguid = parseAaguidText(aaguid.toString());
        if (entry.aaguid.isNull())
            return invalid(QStringLiteral("entries[%1]: aaguid is not a UUID").arg(i));
        EntryParser parser{blob, certificates,
                           QStringLiteral("entries[%1] (aaguid %2)")
                               .arg(i)
                               .arg(entry.aaguid.toString(QUuid::WithoutBraces))};
        if (seen.contains(entry.aaguid))
            return invalid(parser.where + QStringLiteral(": a second entry for this AAGUID"));
        seen.insert(entry.aaguid);
        if (auto checked =
                parser.statement(object.value(QStringLiteral("metadataStatement")), entry);
            !checked)
            return checked.error();
        if (auto checked =
                parser.statusReports(object.value(QStringLiteral("statusReports")), entry);
            !checked)
            return checked.error();
        const QJsonValue changed = object.value(QStringLiteral("timeOfLastStatusChange"));
        if (!changed.isUndefined()) {
            const auto date = isoDate(changed);
            if (!date)
                return invalid(parser.where +
                               QStringLiteral(": timeOfLastStatusChange is not a date"));
            entry.timeOfLastStatusChange = *date;
        }
        blob.entries.append(std::move(entry));
    }
    return blob;
}

} // namespace daarion::metadata
