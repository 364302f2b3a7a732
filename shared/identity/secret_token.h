#pragma once
// Bearer secrets: session tokens, API keys and enrollment link tokens. Each
// is 32 random bytes from the OS CSPRNG, shown to its owner once as unpadded
// base64url (API keys with the "dk_" prefix, enrollment tokens with "de_");
// the database keeps only the SHA-256, so a leaked table signs nobody in.

#include <QByteArray>
#include <QString>

namespace daarion::identity {

struct IssuedSecret {
    QString text;    // what the client receives, once
    QByteArray hash; // SHA-256(text), what the database keeps
};

IssuedSecret issueSessionToken();
IssuedSecret issueApiKey(); // "dk_" + base64url(32 bytes)
IssuedSecret issueEnrollmentToken(); // "de_" + base64url(32 bytes)

// SHA-256 of what a client presented, for lookup by hash. Presented text is
// bounded by the caller (the HTTP edge bounds headers).
QByteArray hashPresentedSecret(const QString &presented);

bool looksLikeApiKey(const QString &presented);
// Exactly the shape issueEnrollmentToken() gives ("de_" and 43 base64url
// characters): anything else is not worth a database lookup.
bool isWellFormedEnrollmentToken(const QString &presented);

// 32 bytes for challenges and user handles.
QByteArray randomBytes(int count);

} // namespace daarion::identity
