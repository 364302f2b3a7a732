#pragma once
// FIDO MDS3 metadata BLOBs made at run time, signed like the FIDO Alliance
// signs the real one: a root, an intermediate CA and a signing certificate
// whose chain travels in the JWS header's x5c. Tests import them with their
// own root as MDS_ROOT_CERT. Entries carry whatever AAGUID, statuses, icon
// and attestation roots a test needs.

#include "tests/support/test_ca.h"

#include <QByteArray>
#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <openssl/evp.h>

#include <memory>

namespace daarion::testing
{

class MdsTestSigner
{
public:
    // jwsAlg: "ES256" (P-256 key), "RS256" or "PS256" (RSA-2048) for the signing
    // certificate; `signerProfile` sets its name and validity.
    static MdsTestSigner create(const QString &jwsAlg = QStringLiteral("ES256"),
                                const CertificateProfile &signerProfile = {});

    const TestCa &root() const { return m_root; }
    const TestCa &intermediate() const { return m_intermediate; }
    QByteArray signerCertificate() const { return m_signerDer; }
    QString jwsAlg() const { return m_alg; }
    QByteArray rootPem() const { return m_root.certificatePem(); }
    // x5c as sent: signing certificate, then the intermediate.
    QList<QByteArray> chain() const { return {m_signerDer, m_intermediate.certificateDer()}; }

    // The compact JWS of `payload`. The header is {"alg", "typ": "JWT", "x5c"}
    // with `headerOverrides` applied (a member set to null is removed).
    QByteArray sign(const QJsonObject &payload, const QJsonObject &headerOverrides = {}) const;
    // Signs `signingInput` (header.payload) as the JWS alg says (ES256: R || S).
    QByteArray signature(const QByteArray &signingInput) const;

private:
    TestCa m_root;
    TestCa m_intermediate;
    std::shared_ptr<EVP_PKEY> m_signerKey;
    QByteArray m_signerDer;
    QString m_alg;
};

// x5c text of DER certificates (standard base64, RFC 7515 §4.1.6).
QJsonArray x5cArray(const QList<QByteArray> &certificates);

// A MetadataBLOBPayload: {"legalHeader", "no", "nextUpdate", "entries"}.
QJsonObject mdsPayload(qint64 no, const QDate &nextUpdate, const QJsonArray &entries);

// One FIDO2 entry. `statuses` become statusReports in order, the first dated
// 2020-01-01 and each later one a day after it (so the last is the latest).
QJsonObject mdsEntry(const QUuid &aaguid, const QString &description, const QStringList &statuses,
                     const QString &icon = {}, const QList<QByteArray> &attestationRoots = {});

// A tiny valid PNG as a data: URI, for icons.
QString testPngDataUri();

} // namespace daarion::testing
