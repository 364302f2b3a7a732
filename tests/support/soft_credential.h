#pragma once
// One credential of the software authenticator: a real OpenSSL key pair made
// once, its credential ID, user handle, RP ID, flags and signature counter.
//
// Copies share one state (the key and the counter), so a test and the
// authenticator see the same counter. Signing and counting are safe from
// several threads at once (EVP_PKEY is read-only after generation and the
// counter is atomic); the setters are meant for test set-up.

#include "tests/support/cbor_writer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <openssl/evp.h>

#include <cstdint>
#include <memory>

namespace daarion::testing
{

// COSE algorithm identifiers the soft authenticator can make keys for.
namespace softalg
{
inline constexpr std::int64_t ES256 = -7;   // ECDSA P-256 / SHA-256
inline constexpr std::int64_t ES384 = -35;  // ECDSA P-384 / SHA-384
inline constexpr std::int64_t ES512 = -36;  // ECDSA P-521 / SHA-512
inline constexpr std::int64_t EdDSA = -8;   // Ed25519
inline constexpr std::int64_t RS256 = -257; // RSASSA-PKCS1-v1_5, 2048-bit, SHA-256
} // namespace softalg

bool softAuthenticatorSupports(std::int64_t alg);
QString softAlgorithmName(std::int64_t alg); // "ES256", "EdDSA", ...

// authenticatorData flag bits (WebAuthn §6.1), written by hand here so the
// authenticator does not depend on the verifier's headers.
namespace softflag
{
inline constexpr quint8 UP = 0x01;
inline constexpr quint8 UV = 0x04;
inline constexpr quint8 BE = 0x08;
inline constexpr quint8 BS = 0x10;
inline constexpr quint8 AT = 0x40;
inline constexpr quint8 ED = 0x80;
} // namespace softflag

enum class CounterMode {
    Increment,  // +1 before every assertion, like most security keys
    AlwaysZero, // never counts, like synced passkeys
};

class SoftCredential
{
public:
    // Generates a fresh key for `alg` (throws std::invalid_argument for an alg
    // the soft authenticator cannot make). The credential ID is random, 16 to
    // 32 bytes; the user handle is whatever the RP gave (may be empty).
    static SoftCredential generate(std::int64_t alg, const QString &rpId,
                                   const QByteArray &userHandle);

    SoftCredential() = default; // null; isNull() is true
    bool isNull() const { return !m_state; }

    std::int64_t alg() const;
    const QString &rpId() const;
    QByteArray id() const;
    QString idBase64Url() const;
    const QByteArray &userHandle() const;
    EVP_PKEY *key() const;

    // The credential public key as a COSE_Key map in CTAP2 canonical order
    // (kty, alg, crv/n, x/e, y), and as SubjectPublicKeyInfo DER (what a
    // browser puts in response.publicKey).
    CborValue coseKeyValue() const;
    QByteArray coseKey() const { return coseKeyValue().encode(); }
    QByteArray subjectPublicKeyInfo() const;
    // 0x04 || x || y for EC keys (what fido-u2f signs over); empty otherwise.
    QByteArray uncompressedPoint() const;

    // A signature as WebAuthn wants it for alg: ASN.1 DER for ECDSA, raw 64
    // bytes for EdDSA, PKCS#1 v1.5 for RS256.
    QByteArray sign(QByteArrayView data) const;

    // The counter value the next assertion reports (after counting).
    quint32 nextSignCount() const;
    quint32 signCount() const;
    void setSignCount(quint32 count) const;
    CounterMode counterMode() const;
    void setCounterMode(CounterMode mode) const;

    // BE and BS of this credential (settable; BE should never change in life).
    bool backupEligible() const;
    bool backupState() const;
    void setBackupFlags(bool eligible, bool state) const;

    // Changes the credential ID (e.g. to an over-long one for a negative test).
    void setId(const QByteArray &id) const;

    bool operator==(const SoftCredential &other) const { return m_state == other.m_state; }

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// Generates a key of `alg` on its own (used for attestation keys and CAs).
std::shared_ptr<EVP_PKEY> generateSoftKey(std::int64_t alg);
// Signs `data` with `key` as COSE algorithm `alg` says (see SoftCredential::sign).
QByteArray softSign(EVP_PKEY *key, std::int64_t alg, QByteArrayView data);
QByteArray randomBytes(qsizetype count);

} // namespace daarion::testing
