#pragma once
// authenticatorData (WebAuthn §6.1): rpIdHash(32) flags(1) signCount(4)
// [attestedCredentialData] [extensions], parsed strictly: the credential ID
// is at most kMaxCredentialIdLength bytes, the COSE key ends where the CBOR
// decoder says it does, extensions are present exactly when ED is set, and
// nothing may follow.

#include "shared/webauthn/cose_key.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace daarion::webauthn {

inline constexpr qsizetype kMaxCredentialIdLength = 1023;

namespace flag {
inline constexpr quint8 UserPresent = 0x01;
inline constexpr quint8 UserVerified = 0x04;
inline constexpr quint8 BackupEligible = 0x08;
inline constexpr quint8 BackupState = 0x10;
inline constexpr quint8 AttestedCredentialData = 0x40;
inline constexpr quint8 ExtensionData = 0x80;
} // namespace flag

struct AttestedCredentialData {
    QByteArray aaguid;       // 16 bytes
    QByteArray credentialId; // 1..1023 bytes
    CoseKey publicKey;
};

struct AuthenticatorData {
    QByteArray raw;
    QByteArray rpIdHash;
    quint8 flags = 0;
    quint32 signCount = 0;
    std::optional<AttestedCredentialData> attestedCredential;
    QByteArray extensions; // raw CBOR map, empty when ED is clear

    bool userPresent() const { return flags & flag::UserPresent; }
    bool userVerified() const { return flags & flag::UserVerified; }
    bool backupEligible() const { return flags & flag::BackupEligible; }
    bool backupState() const { return flags & flag::BackupState; }
};

// MalformedCredential for anything that does not parse; UnsupportedAlgorithm
// when the credential key is well-formed CBOR but not a key we accept.
Result<AuthenticatorData> parseAuthenticatorData(const QByteArray &raw);

} // namespace daarion::webauthn
