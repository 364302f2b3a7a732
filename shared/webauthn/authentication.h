#pragma once
// Verifying an authentication assertion: WebAuthn Level 3 §7.2, step by step.

#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace daarion::webauthn {

// An AuthenticationResponseJSON, already base64url-decoded (see response_json.h).
struct AssertionResponse {
    QString id;
    QByteArray rawId;
    QString type;
    QByteArray clientDataJSON;
    QByteArray authenticatorData;
    QByteArray signature;
    std::optional<QByteArray> userHandle;
};

// The ceremony's expectations and the stored credential record.
struct AssertionPolicy {
    QByteArray challenge;
    QString rpId;
    QStringList allowedOrigins;
    QStringList allowedTopOrigins;
    bool requireTopOrigin = false; // crossOrigin: true must name a listed topOrigin
    bool requireUserVerification = false;

    QByteArray credentialId;                 // the record the response must name
    QByteArray publicKeyCose;                // credentialRecord.publicKey
    quint32 storedSignCount = 0;
    std::optional<bool> storedBackupEligible; // BE may never change once registered
    std::optional<QByteArray> userHandle;     // owner's handle; a given userHandle must equal it
};

struct AssertionVerdict {
    quint32 signCount = 0;
    quint8 flags = 0;
    bool userVerified = false;
    bool backupEligible = false;
    bool backupState = false;
};

Result<AssertionVerdict> verifyAssertion(const AssertionResponse &response,
                                         const AssertionPolicy &policy);

} // namespace daarion::webauthn
