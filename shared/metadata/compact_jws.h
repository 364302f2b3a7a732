#pragma once
// A JWS in compact serialization (RFC 7515 §7.1): three base64url parts
// joined by dots. Parsing only splits and decodes; nothing here trusts it.

#include "shared/metadata/metadata_error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

namespace daarion::metadata
{

// The protected header holds the x5c chain (a few certificates in base64).
inline constexpr qsizetype kMaxJwsHeaderBytes = 256 * 1024;

struct CompactJws {
    QByteArray signingInput; // ASCII(BASE64URL(header) '.' BASE64URL(payload)), as in the file
    QJsonObject header;
    QByteArray payload;   // decoded
    QByteArray signature; // decoded
};

// Surrounding ASCII whitespace (a file's final newline) is ignored; anything
// else that is not exactly header.payload.signature is MalformedJws.
MetadataResult<CompactJws> parseCompactJws(QByteArrayView text);

} // namespace daarion::metadata
