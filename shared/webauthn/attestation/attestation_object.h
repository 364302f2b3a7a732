#pragma once
// The attestationObject (WebAuthn §6.5): a CBOR map of exactly `fmt` (text),
// `attStmt` (map) and `authData` (bytes), nothing after it, no duplicate keys.
// The decoded tree stays alive here so the statement can be read in place.

#include "shared/webauthn/cbor.h"
#include "shared/webauthn/errors.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace daarion::webauthn {

struct AttestationObject {
    QString fmt;
    QByteArray authData;                    // raw authenticatorData bytes
    const cbor_item_t *statement = nullptr; // the attStmt map, owned by `tree`
    CborItemPtr tree;
};

// MalformedCredential for anything but the shape above.
Result<AttestationObject> parseAttestationObject(QByteArrayView bytes);

} // namespace daarion::webauthn
