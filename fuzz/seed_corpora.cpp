// daarion-fuzz-seeds SOURCE_DIR OUT_DIR: writes one seed directory per fuzz
// target under OUT_DIR, derived from what real clients send:
//   - the W3C vectors (tests/data/vectors/w3c): every part of their
//     registrations and assertions, and the two responses as JSON;
//   - the responses of real authenticators that other projects' suites
//     captured (tests/data/devices), and their parts;
//   - the FIDO MDS3 specification's example BLOB and its payload
//     (tests/data/metadata) for the metadata BLOB parser;
//   - an android-safetynet statement made here (no vector exists): a JWS
//     signed by a leaf issued to attest.android.com by a CA made at run time,
//     fresh at the harnesses' verification time, so the fuzzer starts past
//     the signature.
// The hand-written seeds of the text targets (fuzz/seeds/<target>/) are read
// by scripts/fuzz directly. Seeds are regenerated on every run and never
// committed.
#include "shared/webauthn/attestation/attestation_object.h"
#include "shared/webauthn/authenticator_data.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/openssl_handles.h"
#include "tests/support/cbor_writer.h"
#include "tests/support/soft_credential.h"
#include "tests/support/test_ca.h"
#include "tests/support/vector_relying_party.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/ecdsa.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

using namespace daarion::testing;
using namespace daarion::webauthn;

namespace
{

class SeedWriter
{
public:
    explicit SeedWriter(const QString &root) : m_root(root) {}

    void write(const char *target, const QString &name, const QByteArray &bytes)
    {
        const QDir directory(m_root + QLatin1Char('/') + QLatin1StringView(target));
        if (!directory.mkpath(QStringLiteral(".")))
            throw std::runtime_error("cannot create " + directory.path().toStdString());
        QFile file(directory.filePath(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(bytes) != bytes.size())
            throw std::runtime_error("cannot write " + file.fileName().toStdString());
        ++m_count;
    }
    int count() const { return m_count; }

private:
    QString m_root;
    int m_count = 0;
};

QByteArray base64Url(const QJsonObject &object, const char *name)
{
    const auto bytes = decodeBase64Url(object.value(QLatin1StringView(name)).toString().toLatin1());
    if (!bytes)
        throw std::runtime_error(std::string("not base64url: ") + name);
    return *bytes;
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A registration: its clientDataJSON and attestationObject, to every target
// that reads a part of it.
void writeRegistration(SeedWriter &seeds, const QString &name, const QByteArray &clientDataJson,
                       const QByteArray &attestationObject)
{
    seeds.write("client_data", name + QStringLiteral("-create"), clientDataJson);
    seeds.write("cbor", name + QStringLiteral("-attestation-object"), attestationObject);
    seeds.write("attestation_object", name, sha256(clientDataJson) + attestationObject);
    Result<AttestationObject> object = parseAttestationObject(attestationObject);
    if (!object)
        return; // a capture the verifier refuses is a seed all the same
    seeds.write("authenticator_data", name + QStringLiteral("-create"), object->authData);
    Result<AuthenticatorData> authData = parseAuthenticatorData(object->authData);
    if (authData && authData->attestedCredential) {
        const QByteArray &key = authData->attestedCredential->publicKey.encoded;
        seeds.write("cose_key", name, key);
        seeds.write("cbor", name + QStringLiteral("-cose-key"), key);
    }
}

void writeVector(SeedWriter &seeds, const W3cVector &vector)
{
    writeRegistration(seeds, vector.name, vector.creationClientData, vector.attestationObject);
    seeds.write("client_data", vector.name + QStringLiteral("-get"), vector.requestClientData);
    seeds.write("authenticator_data", vector.name + QStringLiteral("-get"),
                vector.assertionAuthData);
    for (const char *target : {"registration_response", "json_body"})
        seeds.write(target, vector.name + QStringLiteral("-registration"),
                    vector.registrationResponseJson());
    for (const char *target : {"assertion_response", "json_body"})
        seeds.write(target, vector.name + QStringLiteral("-assertion"),
                    vector.authenticationResponseJson());
    seeds.write("assertion_response", vector.name + QStringLiteral("-assertion-user-handle"),
                vector.authenticationResponseJson(VectorRelyingParty::kUserHandle));
}

// A real authenticator's capture (tests/data/devices): its responses as sent,
// and their parts.
void writeDevice(SeedWriter &seeds, const QString &path)
{
    QFile input(path);
    if (!input.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    const QJsonObject device = QJsonDocument::fromJson(input.readAll()).object();
    const QString name = QFileInfo(path).completeBaseName();
    const QJsonObject registration = device.value(QLatin1StringView("registration"))
                                         .toObject()
                                         .value(QLatin1StringView("response"))
                                         .toObject();
    if (!registration.isEmpty()) {
        for (const char *target : {"registration_response", "json_body"})
            seeds.write(target, name + QStringLiteral("-registration"), compactJson(registration));
        const QJsonObject response = registration.value(QLatin1StringView("response")).toObject();
        writeRegistration(seeds, name, base64Url(response, "clientDataJSON"),
                          base64Url(response, "attestationObject"));
    }
    const QJsonObject authentication = device.value(QLatin1StringView("authentication")).toObject();
    const QJsonObject assertion = authentication.value(QLatin1StringView("response")).toObject();
    if (!assertion.isEmpty()) {
        for (const char *target : {"assertion_response", "json_body"})
            seeds.write(target, name + QStringLiteral("-assertion"), compactJson(assertion));
        const QJsonObject response = assertion.value(QLatin1StringView("response")).toObject();
        seeds.write("client_data", name + QStringLiteral("-get"),
                    base64Url(response, "clientDataJSON"));
        seeds.write("authenticator_data", name + QStringLiteral("-get"),
                    base64Url(response, "authenticatorData"));
        if (authentication.value(QLatin1StringView("public_key")).isString())
            seeds.write("cose_key", name + QStringLiteral("-stored"),
                        base64Url(authentication, "public_key"));
    }
}

// ES256 as JWS wants it: r || s, 32 bytes each (RFC 7518 §3.4).
QByteArray jwsEs256(EVP_PKEY *key, const QByteArray &signingInput)
{
    const QByteArray der = softSign(key, softalg::ES256, signingInput);
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    QByteArray raw(64, '\0');
    auto *out = reinterpret_cast<unsigned char *>(raw.data());
    if (!signature || BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + 32, 32) != 32)
        throw std::runtime_error("ES256 signature conversion failed");
    return raw;
}

// An android-safetynet registration for the vectors' relying party, over the
// credential of the `none-es256` vector.
void writeSafetyNet(SeedWriter &seeds, const VectorRelyingParty &party)
{
    const auto base =
        std::find_if(party.vectors().begin(), party.vectors().end(), [](const W3cVector &vector) {
            return vector.name == QLatin1StringView("none-es256");
        });
    if (base == party.vectors().end())
        throw std::runtime_error("vector none-es256 is missing");
    const QByteArray &authData = base->authData;
    const QByteArray clientDataJson =
        compactJson({{QStringLiteral("type"), QStringLiteral("webauthn.create")},
                     {QStringLiteral("challenge"),
                      QString::fromLatin1(encodeBase64Url(QByteArray(32, '\x5a')))},
                     {QStringLiteral("origin"), VectorRelyingParty::kOrigin}});

    const QDateTime when = VectorRelyingParty::verificationTime();
    // Only the leaf travels: the run-time root is valid from yesterday, not at `when`.
    const TestCa root = TestCa::createRoot(QStringLiteral("DAARION Fuzz SafetyNet Root"));
    const std::shared_ptr<EVP_PKEY> leafKey = generateSoftKey(softalg::ES256);
    CertificateProfile leafProfile;
    leafProfile.commonName = QStringLiteral("attest.android.com");
    leafProfile.notBefore = when.addYears(-1);
    leafProfile.notAfter = when.addYears(1);
    const QByteArray leaf = root.issue(leafKey.get(), leafProfile);

    const QJsonObject header{
        {QStringLiteral("alg"), QStringLiteral("ES256")},
        {QStringLiteral("x5c"), QJsonArray{QString::fromLatin1(leaf.toBase64())}}};
    const QJsonObject payload{
        {QStringLiteral("nonce"),
         QString::fromLatin1(sha256(authData + sha256(clientDataJson)).toBase64())},
        {QStringLiteral("timestampMs"), double(when.toMSecsSinceEpoch() - 1000)},
        {QStringLiteral("apkPackageName"), QStringLiteral("com.google.android.gms")},
        {QStringLiteral("ctsProfileMatch"), true},
        {QStringLiteral("basicIntegrity"), true}};
    const QByteArray signingInput =
        encodeBase64Url(compactJson(header)) + '.' + encodeBase64Url(compactJson(payload));
    const QByteArray jws =
        signingInput + '.' + encodeBase64Url(jwsEs256(leafKey.get(), signingInput));

    const CborValue object =
        CborValue::map({{"fmt", "android-safetynet"},
                        {"attStmt", CborValue::map({{"ver", "210613037"}, {"response", jws}})},
                        {"authData", authData}});
    W3cVector made = *base; // the same credential, attested another way
    made.name = QStringLiteral("android-safetynet-es256-made-here");
    made.creationClientData = clientDataJson;
    made.attestationObject = object.encode();
    writeRegistration(seeds, made.name, made.creationClientData, made.attestationObject);
    for (const char *target : {"registration_response", "json_body"})
        seeds.write(target, made.name + QStringLiteral("-registration"),
                    made.registrationResponseJson());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: daarion-fuzz-seeds SOURCE_DIR OUT_DIR\n");
        return 2;
    }
    const QString source = QString::fromLocal8Bit(argv[1]);
    try {
        SeedWriter seeds(QString::fromLocal8Bit(argv[2]));
        const VectorRelyingParty party(source + QStringLiteral("/tests/data"));
        for (const W3cVector &vector : party.vectors())
            writeVector(seeds, vector);
        const QDir devices(source + QStringLiteral("/tests/data/devices"));
        for (const QString &file :
             devices.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            writeDevice(seeds, devices.filePath(file));
        writeSafetyNet(seeds, party);
        const QDir metadata(source + QStringLiteral("/tests/data/metadata"));
        for (const QString &file : metadata.entryList({QStringLiteral("*.json"), QStringLiteral("*.jwt")},
                                                      QDir::Files, QDir::Name)) {
            QFile example(metadata.filePath(file));
            if (!example.open(QIODevice::ReadOnly))
                throw std::runtime_error("cannot read " + example.fileName().toStdString());
            seeds.write("mds_blob", file, example.readAll());
        }
        std::printf("%d seeds written\n", seeds.count());
    } catch (const std::exception &error) {
        std::fprintf(stderr, "daarion-fuzz-seeds: %s\n", error.what());
        return 1;
    }
    return 0;
}
