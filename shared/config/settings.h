#pragma once
// daarion-authd's settings: one typed table (key, environment variable, flag,
// default, parser, doc) read from the environment, command-line flags
// overriding it. A bad value stops the daemon at start with a message that
// names the setting; `daarion-authd --help` prints the table.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUuid>

#include "shared/webauthn/public_key_credential_hint.h"

#include <chrono>
#include <optional>

namespace daarion::config {

enum class Environment { Development, Production };

// ORIGIN's default: development's page and the production site.
inline constexpr char kDefaultOrigins[] = "http://localhost:3000,https://daarion.city";
enum class AttestationConveyance { None, Direct };
// ATTESTATION_POLICY: which attestations a registration needs.
enum class AttestationPolicy {
    Any,       // every attestation that verifies (untrusted ones are recorded as such)
    Trusted,   // one that chains to ATTESTATION_ROOTS or the model's MDS roots
    AllowList, // trusted, and of a model (AAGUID) in ALLOWED_AAGUIDS
};
// METADATA_ACTION: what a metadata import does to the passkeys of a model
// that newly carries a compromising status.
enum class MetadataAction {
    Flag,    // set their metadata_status and audit passkey_flagged
    Disable, // also disable them and end their sessions
};
// COOKIE_SECURE: whether the session cookie is Secure (and then named
// __Host-session_token). Auto decides from the daemon's own settings, never
// from what a client sends: see sessionCookieSecure().
enum class CookieSecure { Auto, Always, Never };

// Token buckets of the ceremony routes: `burst` requests at once, refilled at
// `perMinute`. Kept in memory per replica (N replicas allow N times as much).
struct RateLimitSettings {
    bool enabled = true;
    int ipPerMinute = 120;
    int ipBurst = 30;
    int usernamePerMinute = 20;
    int usernameBurst = 10;
};

// An address range from TRUSTED_PROXIES ("10.0.0.0/8", "127.0.0.1").
using Subnet = QPair<QHostAddress, int>;

struct Settings {
    // Listening
    quint16 port = 7011;
    QHostAddress bindAddress = QHostAddress::Any;
    QString tlsCertificateFile; // TLS_CERT: PEM; TLS on when both files are set
    QString tlsKeyFile;         // TLS_KEY: PEM, unencrypted
    QList<Subnet> trustedProxies;

    // Relying party
    Environment environment = Environment::Development;
    QString rpId;   // localhost in development, daarion.city in production, unless RP_ID is set
    QString rpName = QStringLiteral("DAARION");
    QStringList allowedOrigins; // ORIGIN, exact-match list
    // RELATED_ORIGINS: https origins of other sites whose pages run ceremonies
    // for this RP ID (WebAuthn L3 related origin requests), served at
    // /.well-known/webauthn; accepted in clientDataJSON and by CORS besides ORIGIN.
    QStringList relatedOrigins;
    // TOP_ORIGINS: pages that may embed a ceremony in a cross-origin iframe
    // (clientDataJSON crossOrigin: true and its topOrigin); empty: none may.
    QStringList topOrigins;
    QList<webauthn::PublicKeyCredentialHint> passkeyHints; // PASSKEY_HINTS, in order of preference
    bool requireUserVerification = false;
    AttestationConveyance attestation = AttestationConveyance::None;
    QString attestationRootsDirectory; // PEM roots per format; empty: none configured
    bool requireTrustedAttestation =
        false; // REQUIRE_TRUSTED_ATTESTATION=true: the same as ATTESTATION_POLICY=trusted
    AttestationPolicy attestationPolicy = AttestationPolicy::Any;
    QList<QUuid> allowedAaguids; // ALLOWED_AAGUIDS, for AttestationPolicy::AllowList

    // Authenticator metadata (FIDO MDS3)
    QString mdsRootCertificateFile; // MDS_ROOT_CERT: PEM roots of the BLOB; empty: the shipped FIDO
                                    // root
    MetadataAction metadataAction = MetadataAction::Flag;

    // State
    QString databaseUrl; // postgresql://user[:password]@host[:port]/db[?sslmode=…]
    bool migrateOnStart = true;
    std::chrono::seconds sessionTtl{30 * 24 * 3600};       // absolute lifetime
    std::chrono::seconds sessionIdleTimeout{7 * 24 * 3600}; // without activity
    std::chrono::seconds challengeTtl{300};
    std::chrono::seconds sweepInterval{60};
    QByteArray jwtSecret; // JWT_SECRET: empty disables POST /auth/token. Never logged.
    CookieSecure cookieSecure = CookieSecure::Auto;
    // API_KEY_TTL: how long an agent key lives unless its maker asks for less;
    // the most a person may ask for. Operators may make keys without expiry.
    std::chrono::seconds apiKeyTtl{90 * 24 * 3600};
    QByteArray metricsToken; // METRICS_TOKEN: when set, GET /metrics needs it as a bearer token.
                             // Never logged.

    // Enrollment links (recovery and invites)
    QString publicUrl; // PUBLIC_URL: where people open links; empty: the first ORIGIN
    std::chrono::seconds enrollmentTtl{24 * 3600}; // how long a link works once usable
    std::chrono::seconds enrollmentDelay{0};       // cooling-off before a link works
    bool enrollmentRevokesSessions = true;         // using a link ends the account's other sessions

    // The HTTP edge's bounds
    qint64 maxBodyBytes = 64 * 1024;
    int maxConnections = 512;
    std::chrono::milliseconds httpIdleTimeout{5000};
    int workerThreads = 4;     // also the number of database connections
    int workerQueueLimit = 256; // requests waiting for a worker; more get 503
    RateLimitSettings rateLimit;

    // The audit chain (docs/AUDIT.md)
    std::chrono::milliseconds auditCheckpointInterval{
        10'000};                 // 0: this replica makes no checkpoints
    QString auditSigningKeyFile; // AUDIT_SIGNING_KEY: Ed25519 PEM; empty: checkpoints chained but
                                 // unsigned
    int auditRetentionDays = 0;  // 0: audit rows are kept for ever

    bool demo = false; // serve server/demo/ at / and allow the daemon's own origin

    bool tlsEnabled() const { return !tlsCertificateFile.isEmpty(); }
    // What clientDataJSON.origin may be: ORIGIN, then RELATED_ORIGINS.
    QStringList ceremonyOrigins() const;
    // PUBLIC_URL, or the first allowed origin: the base of enrollment links.
    QString effectivePublicUrl() const
    {
        return publicUrl.isEmpty() ? allowedOrigins.value(0) : publicUrl;
    }
};

struct SettingsOutcome {
    std::optional<Settings> settings; // empty when a value was refused
    QString error;                    // names the setting: "PORT: not a port number: 'x'"
    bool helpRequested = false;       // --help: print settingsHelp() and exit 0
};

// Reads every setting from `environment`, then `arguments` (flags such as
// --port 7011, --port=7011, --demo; arguments[0] is the program).
SettingsOutcome loadSettings(const QProcessEnvironment &environment, const QStringList &arguments);

// Applies one setting by its environment variable's name, as loadSettings
// would ("" on success, else the error naming it). For operator commands that
// need a few settings without the daemon's whole set (e.g. MDS_ROOT_CERT, API_KEY_TTL).
QString applySetting(Settings &settings, const QString &variable, const QString &value);

// Whether the session cookie is Secure. COOKIE_SECURE=auto: yes when the
// daemon serves TLS itself or every allowed ORIGIN is https (a page on an
// https origin cannot call an http API, so the browser reaches the daemon
// over https); no when any origin is plain http (development).
bool sessionCookieSecure(const Settings &settings);

// "300", "300s", "5m", "2h", "30d" as seconds (what every duration setting
// takes), for operator commands' own flags; nullopt when it is none of those.
std::optional<std::chrono::seconds> parseDuration(const QString &text);

// The table as text for --help: flag, variable, default, what it does.
QString settingsHelp();

// One line of the effective settings for the start-up log. Never contains
// secrets (JWT_SECRET is shown as set/unset, DATABASE_URL without password).
QString describeSettings(const Settings &settings);

} // namespace daarion::config
