// Android Key attestation statement format, WebAuthn Level 3 §8.4.
//
//   $$attStmtType //= ( fmt: "android-key", attStmt: androidStmtFormat )
//   androidStmtFormat = {
//                           alg: COSEAlgorithmIdentifier,
//                           sig: bytes,
//                           x5c: [ credCert: bytes, * (caCert: bytes) ]
//                       }
//
// The leaf carries the Android Key Attestation extension
// (1.3.6.1.4.1.11129.2.1.17), a KeyDescription:
//
//   KeyDescription ::= SEQUENCE {
//       attestationVersion INTEGER, attestationSecurityLevel ENUMERATED,
//       keyMintVersion INTEGER, keyMintSecurityLevel ENUMERATED,
//       attestationChallenge OCTET STRING, uniqueId OCTET STRING,
//       softwareEnforced AuthorizationList, hardwareEnforced AuthorizationList }
//   AuthorizationList ::= SEQUENCE {
//       purpose [1] EXPLICIT SET OF INTEGER OPTIONAL, ...
//       allApplications [600] EXPLICIT NULL OPTIONAL, ...
//       origin [702] EXPLICIT INTEGER OPTIONAL, ... }
//
// Policy: we accept keys from software or a TEE, so origin and purpose are
// judged on softwareEnforced ∪ teeEnforced (§8.4.1 lets the RP choose); both
// must be present there, origin only KM_ORIGIN_GENERATED and purpose only
// KM_PURPOSE_SIGN. py_webauthn reads teeEnforced alone; every real Android
// capture we hold puts both in teeEnforced, so both readings accept them.
#include "shared/webauthn/attestation/attestation_statement.h"
#include "shared/webauthn/attestation/certificate.h"
#include "shared/webauthn/attestation/statement_fields.h"
#include "shared/webauthn/bytes.h"
#include "shared/webauthn/cbor.h"

#include <openssl/asn1.h>

#include <optional>

namespace daarion::webauthn
{

namespace
{

const QString kFmt = QStringLiteral("android-key");
constexpr char kKeyAttestationOid[] = "1.3.6.1.4.1.11129.2.1.17";

constexpr long kTagPurpose = 1;
constexpr long kTagAllApplications = 600;
constexpr long kTagOrigin = 702;
constexpr qint64 kKmOriginGenerated = 0;
constexpr qint64 kKmPurposeSign = 2;

struct SequenceAnyDeleter {
    void operator()(ASN1_SEQUENCE_ANY *sequence) const
    {
        sk_ASN1_TYPE_pop_free(sequence, ASN1_TYPE_free);
    }
};
using SequenceAnyPtr = std::unique_ptr<ASN1_SEQUENCE_ANY, SequenceAnyDeleter>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;

Error invalid(const QString &what)
{
    return fail(ErrorCode::AttestationInvalid, QStringLiteral("android-key: ") + what);
}

const unsigned char *bytesOf(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

// A SEQUENCE (or, with `set`, a SET) of ANY spanning `der` exactly.
SequenceAnyPtr decodeSequence(QByteArrayView der, bool set = false)
{
    const unsigned char *cursor = bytesOf(der);
    SequenceAnyPtr sequence(set ? d2i_ASN1_SET_ANY(nullptr, &cursor, long(der.size()))
                                : d2i_ASN1_SEQUENCE_ANY(nullptr, &cursor, long(der.size())));
    if (!sequence || cursor != bytesOf(der) + der.size())
        return nullptr;
    return sequence;
}

// The whole TLV of a constructed or non-universal element, or the contents
// of a primitive one.
QByteArrayView stringOf(const ASN1_TYPE *element)
{
    const ASN1_STRING *string = element->value.asn1_string;
    return QByteArrayView(reinterpret_cast<const char *>(ASN1_STRING_get0_data(string)),
                          ASN1_STRING_length(string));
}

std::optional<qint64> integerValue(const ASN1_INTEGER *integer)
{
    int64_t value = 0;
    if (!integer || ASN1_INTEGER_get_int64(&value, integer) != 1)
        return std::nullopt;
    return qint64(value);
}

// One [tag] EXPLICIT member of an AuthorizationList: its tag and contents.
struct TaggedMember {
    long tag = 0;
    QByteArrayView contents;
};

std::optional<TaggedMember> taggedMember(const ASN1_TYPE *element)
{
    if (ASN1_TYPE_get(element) != V_ASN1_OTHER)
        return std::nullopt; // every AuthorizationList member is context-tagged
    QByteArrayView tlv = stringOf(element);
    const unsigned char *cursor = bytesOf(tlv);
    long length = 0;
    int tag = 0;
    int tagClass = 0;
    const int flags = ASN1_get_object(&cursor, &length, &tag, &tagClass, long(tlv.size()));
    // 0x80 in the result is ASN1_get_object's error bit.
    if ((flags & 0x80) || tagClass != V_ASN1_CONTEXT_SPECIFIC ||
        cursor + length != bytesOf(tlv) + tlv.size())
        return std::nullopt;
    return TaggedMember{tag, QByteArrayView(reinterpret_cast<const char *>(cursor), length)};
}

// What we judge in the two authorization lists together.
struct Authorizations {
    bool allApplications = false;
    QList<qint64> origins;
    QList<qint64> purposes;
};

Check readAuthorizationList(const ASN1_TYPE *element, const QString &which, Authorizations &out)
{
    if (ASN1_TYPE_get(element) != V_ASN1_SEQUENCE)
        return invalid(QStringLiteral("%1 is not an AuthorizationList SEQUENCE").arg(which));
    SequenceAnyPtr members = decodeSequence(stringOf(element));
    if (!members)
        return invalid(QStringLiteral("%1 does not parse").arg(which));
    for (int i = 0; i < sk_ASN1_TYPE_num(members.get()); ++i) {
        auto member = taggedMember(sk_ASN1_TYPE_value(members.get(), i));
        if (!member)
            return invalid(QStringLiteral("%1 has a member that is not [n] EXPLICIT").arg(which));
        if (member->tag == kTagAllApplications) {
            out.allApplications = true;
        } else if (member->tag == kTagOrigin) {
            const unsigned char *cursor = bytesOf(member->contents);
            Asn1IntegerPtr origin(
                d2i_ASN1_INTEGER(nullptr, &cursor, long(member->contents.size())));
            auto value = integerValue(origin.get());
            if (!value || cursor != bytesOf(member->contents) + member->contents.size())
                return invalid(QStringLiteral("%1.origin is not an INTEGER").arg(which));
            out.origins.append(*value);
        } else if (member->tag == kTagPurpose) {
            SequenceAnyPtr purposes = decodeSequence(member->contents, true);
            if (!purposes)
                return invalid(QStringLiteral("%1.purpose is not a SET OF INTEGER").arg(which));
            for (int p = 0; p < sk_ASN1_TYPE_num(purposes.get()); ++p) {
                const ASN1_TYPE *purpose = sk_ASN1_TYPE_value(purposes.get(), p);
                auto value = ASN1_TYPE_get(purpose) == V_ASN1_INTEGER
                                 ? integerValue(purpose->value.integer)
                                 : std::nullopt;
                if (!value)
                    return invalid(QStringLiteral("%1.purpose holds a non-INTEGER").arg(which));
                out.purposes.append(*value);
            }
        }
    }
    return Ok{};
}

struct KeyDescription {
    QByteArray attestationChallenge;
    Authorizations authorizations; // softwareEnforced ∪ teeEnforced
};

Result<KeyDescription> parseKeyDescription(QByteArrayView der)
{
    SequenceAnyPtr fields = decodeSequence(der);
    if (!fields || sk_ASN1_TYPE_num(fields.get()) != 8)
        return invalid(QStringLiteral("the key attestation extension is not a KeyDescription "
                                      "of 8 fields"));
    auto field = [&](int index) { return sk_ASN1_TYPE_value(fields.get(), index); };
    const int expected[6] = {V_ASN1_INTEGER,    V_ASN1_ENUMERATED,   V_ASN1_INTEGER,
                             V_ASN1_ENUMERATED, V_ASN1_OCTET_STRING, V_ASN1_OCTET_STRING};
    for (int i = 0; i < 6; ++i) {
        if (ASN1_TYPE_get(field(i)) != expected[i])
            return invalid(QStringLiteral("KeyDescription field %1 has the wrong type").arg(i));
    }
    KeyDescription description;
    description.attestationChallenge = stringOf(field(4)).toByteArray();
    auto software = readAuthorizationList(field(6), QStringLiteral("softwareEnforced"),
                                          description.authorizations);
    if (!software)
        return software.error();
    auto tee =
        readAuthorizationList(field(7), QStringLiteral("teeEnforced"), description.authorizations);
    if (!tee)
        return tee.error();
    return description;
}

// attStmt, decoded (step 1: valid CBOR conforming to the syntax above).
struct AndroidKeyStatement {
    std::int64_t alg = 0;
    QByteArray sig;
    CertificateChain x5c;
};

Result<AndroidKeyStatement> decodeAndroidKeyStatement(const AttestationInput &input)
{
    auto members = decodeSignedMembers(
        input, {Presence::Required, Presence::Required, Presence::Required}, kFmt);
    if (!members)
        return members.error();
    return AndroidKeyStatement{*members->alg, *members->sig, std::move(*members->x5c)};
}

} // namespace

Result<AttestationVerdict> verifyAndroidKeyAttestation(const AttestationInput &input)
{
    // Step 1: attStmt is valid CBOR conforming to the syntax above.
    auto statement = decodeAndroidKeyStatement(input);
    if (!statement)
        return statement.error();
    const CertificateChain &chain = statement->x5c;
    auto credential = attestedCredential(input, kFmt);
    if (!credential)
        return credential.error();

    // Step 2: sig over authenticatorData || clientDataHash by the first certificate, with alg.
    EvpPkeyPtr leafKey = certificatePublicKey(chain.leaf());
    auto signature = verifyStatementSignature(leafKey.get(), statement->alg, attestedBytes(input),
                                              statement->sig, kFmt);
    if (!signature)
        return signature.error();

    // Step 3: the first certificate's public key is the credential public key.
    if (!publicKeysEqual(leafKey.get(), (*credential)->publicKey.pkey.get()))
        return invalid(QStringLiteral("the certificate's key is not the credential public key"));

    // Step 4: attestationChallenge in the extension is clientDataHash.
    auto extension = findExtension(chain.leaf(), kKeyAttestationOid);
    if (!extension)
        return invalid(QStringLiteral("the certificate lacks the key attestation extension (%1)")
                           .arg(QLatin1StringView(kKeyAttestationOid)));
    auto description = parseKeyDescription(extension->value);
    if (!description)
        return description.error();
    if (!constantTimeEquals(description->attestationChallenge, input.clientDataHash))
        return invalid(QStringLiteral("attestationChallenge is not clientDataHash"));

    // Step 5: the authorization lists.
    const Authorizations &authorizations = description->authorizations;
    // - allApplications on neither list: the key must be scoped to the RP ID.
    if (authorizations.allApplications)
        return invalid(QStringLiteral("the key is authorized for all applications"));
    // - origin is KM_ORIGIN_GENERATED and purpose is KM_PURPOSE_SIGN: both
    //   present, and nothing else (on either list, by the policy above).
    if (authorizations.origins.isEmpty())
        return invalid(QStringLiteral("the key description has no origin (KM_ORIGIN_GENERATED "
                                      "required)"));
    if (authorizations.purposes.isEmpty())
        return invalid(QStringLiteral("the key description has no purpose (KM_PURPOSE_SIGN "
                                      "required)"));
    for (qint64 origin : authorizations.origins) {
        if (origin != kKmOriginGenerated)
            return invalid(QStringLiteral("key origin %1 is not KM_ORIGIN_GENERATED").arg(origin));
    }
    for (qint64 purpose : authorizations.purposes) {
        if (purpose != kKmPurposeSign)
            return invalid(QStringLiteral("key purpose %1 is not KM_PURPOSE_SIGN").arg(purpose));
    }

    // Step 6: Basic, trust path x5c.
    return AttestationVerdict{AttestationType::Basic, chain.der};
}

} // namespace daarion::webauthn
