// Android SafetyNet attestation statement format, WebAuthn Level 3 §8.5.
//
//   $$attStmtType //= ( fmt: "android-safetynet", attStmt: safetynetStmtFormat )
//   safetynetStmtFormat = {
//                             ver: text,
//                             response: bytes
//                         }
//
// response is a compact JWS (RFC 7515) signed by Google: its header carries
// alg (RS256 or ES256) and x5c (standard base64 DER, leaf first); its payload
// carries nonce, timestampMs and ctsProfileMatch.
//
// Members the CDDL does not name: see statement_fields.h.
//
// Freshness: timestampMs must not lie after the verification time and not
// more than kMaxSafetyNetAgeMs (60 s) before it (Google's response is made moments
// before the authenticator answers the RP). Captured responses are judged
// with the verification time set to when they were made.
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"
#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/jose_ecdsa_signature.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <openssl/x509v3.h>

#include <optional>

namespace daarion::webauthn
{

namespace
{

constexpr qint64 kMaxSafetyNetAgeMs = 60 * 1000;
constexpr qsizetype kMaxSafetyNetResponseSize = 64 * 1024;

const QString kFmt = QStringLiteral("android-safetynet");
constexpr char kSafetyNetHostname[] = "attest.android.com";

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("android-safetynet: ") + what);
}

std::optional<QJsonObject> jsonObject(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// The JWS header's x5c: standard base64 (with padding) DER certificates.
Result<CertificateChain> headerCertificates(const QJsonValue &x5c)
{
    if (!x5c.isArray() || x5c.toArray().isEmpty() || x5c.toArray().size() > kMaxX5cCertificates)
        return invalid(QStringLiteral("the JWS header's x5c must list 1..%1 certificates")
                           .arg(kMaxX5cCertificates));
    CertificateChain chain;
    for (const QJsonValue &entry : x5c.toArray()) {
        if (!entry.isString())
            return invalid(QStringLiteral("the JWS header's x5c holds a non-string"));
        auto der = QByteArray::fromBase64Encoding(entry.toString().toLatin1(),
                                                  QByteArray::Base64Encoding |
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!der)
            return invalid(QStringLiteral("the JWS header's x5c holds invalid base64"));
        auto cert = parseCertificate(*der);
        if (!cert)
            return invalid(
                QStringLiteral("x5c[%1]: %2").arg(chain.der.size()).arg(cert.error().message));
        chain.der.append(*der);
        chain.certificates.push_back(std::move(cert).value());
    }
    return chain;
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct SafetyNetStatement {
    QString ver;         // the Google Play services version; not judged
    QByteArray response; // the compact JWS, read in step 2
};

Result<SafetyNetStatement> decodeSafetyNetStatement(const AttestationInput &input)
{
    if (Check keys = checkStatementKeys(input.statement, kFmt); !keys)
        return keys.error();
    auto ver = statementText(input.statement, QLatin1StringView("ver"), kFmt);
    if (!ver)
        return ver.error();
    if (ver->isEmpty())
        return invalid(QStringLiteral("ver must be a non-empty version"));
    auto response = statementBytes(input.statement, QLatin1StringView("response"), kFmt);
    if (!response)
        return response.error();
    if (response->size() > kMaxSafetyNetResponseSize)
        return invalid(
            QStringLiteral("response is larger than %1 bytes").arg(kMaxSafetyNetResponseSize));
    return SafetyNetStatement{*ver, *response};
}

} // namespace

Result<AttestationVerdict> verifyAndroidSafetyNetAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodeSafetyNetStatement(input);
    if (!statement)
        return statement.error();
    if (!attestedCredential(input, kFmt))
        return invalid(QStringLiteral("authData carries no attested credential"));

    // Step 2: response is a valid SafetyNet response: a compact JWS whose
    // signature verifies with the leaf of its x5c.
    const QList<QByteArray> segments = statement->response.split('.');
    if (segments.size() != 3)
        return invalid(QStringLiteral("response is not a compact JWS (header.payload.signature)"));
    auto headerJson = decodeBase64Url(segments[0]);
    auto payloadJson = decodeBase64Url(segments[1]);
    auto jwsSignature = decodeBase64Url(segments[2]);
    if (!headerJson || !payloadJson || !jwsSignature)
        return invalid(QStringLiteral("a JWS segment is not unpadded base64url"));
    auto header = jsonObject(*headerJson);
    auto payload = jsonObject(*payloadJson);
    if (!header || !payload)
        return invalid(QStringLiteral("the JWS header or payload is not a JSON object"));

    auto chain = headerCertificates(header->value(QLatin1StringView("x5c")));
    if (!chain)
        return chain.error();
    auto valid = checkValidityAt(*chain, input.verificationTime, kFmt);
    if (!valid)
        return valid.error();

    const QString jwsAlg = header->value(QLatin1StringView("alg")).toString();
    std::int64_t alg = 0;
    if (jwsAlg == QLatin1StringView("RS256"))
        alg = cose::RS256;
    else if (jwsAlg == QLatin1StringView("ES256"))
        alg = cose::ES256;
    else
        return invalid(QStringLiteral("JWS alg \"%1\" is neither RS256 nor ES256").arg(jwsAlg));
    EvpPkeyPtr leafKey = certificatePublicKey(chain->leaf());
    if (!leafKey || !algorithmFitsKey(alg, leafKey.get()))
        return invalid(
            QStringLiteral("JWS alg %1 does not fit the leaf certificate's key").arg(jwsAlg));
    QByteArray signature = *jwsSignature;
    if (alg == cose::ES256) {
        auto der = joseEs256SignatureToDer(signature);
        if (!der)
            return invalid(QStringLiteral("an ES256 JWS signature must be 64 bytes (r || s)"));
        signature = *der;
    }
    const QByteArray signingInput = segments[0] + '.' + segments[1];
    auto signatureValid =
        verifyStatementSignature(leafKey.get(), alg, signingInput, signature, kFmt);
    if (!signatureValid)
        return signatureValid.error();

    // Step 3: nonce is base64(SHA-256(authenticatorData || clientDataHash)).
    const QByteArray expectedNonce = sha256(attestedBytes(input)).toBase64();
    const QJsonValue nonce = payload->value(QLatin1StringView("nonce"));
    if (!nonce.isString() || !constantTimeEquals(nonce.toString().toLatin1(), expectedNonce))
        return invalid(QStringLiteral("payload nonce is not "
                                      "base64(SHA-256(authenticatorData || clientDataHash))"));

    // Step 4: the response comes from the SafetyNet service.
    // - the leaf is issued to attest.android.com;
    if (X509_check_host(chain->leaf(), kSafetyNetHostname, sizeof kSafetyNetHostname - 1, 0,
                        nullptr) != 1)
        return invalid(QStringLiteral("the JWS leaf certificate is not issued to %1")
                           .arg(QLatin1StringView(kSafetyNetHostname)));
    // - ctsProfileMatch is true;
    if (payload->value(QLatin1StringView("ctsProfileMatch")) != QJsonValue(true))
        return invalid(QStringLiteral("ctsProfileMatch is not true"));
    // - and the response is fresh (see the top of this file).
    const QJsonValue timestamp = payload->value(QLatin1StringView("timestampMs"));
    if (!timestamp.isDouble())
        return invalid(QStringLiteral("payload timestampMs is missing"));
    // Compared as doubles: the signer chose the number, and one beyond
    // qint64 (1e300) would make a conversion undefined.
    const double madeAtMs = timestamp.toDouble();
    const double nowMs =
        double(effectiveVerificationTime(input.verificationTime).toMSecsSinceEpoch());
    if (madeAtMs > nowMs)
        return invalid(QStringLiteral("timestampMs lies in the future"));
    if (nowMs - madeAtMs > double(kMaxSafetyNetAgeMs))
        return invalid(
            QStringLiteral("the response is older than %1 s").arg(kMaxSafetyNetAgeMs / 1000));

    // Step 5: Basic, trust path x5c.
    return AttestationVerdict{AttestationType::Basic, chain->der};
}

} // namespace daarion::webauthn
