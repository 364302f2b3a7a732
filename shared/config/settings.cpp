#include "shared/config/settings.h"

#include "shared/audit/signing_key.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <limits>
#include <vector>

namespace daarion::config {

namespace {

// A parser applies one textual value to the settings, or explains why not.
using Apply = std::function<QString(const QString &value, Settings &settings)>;

struct SettingSpec {
    const char *variable;     // environment variable, e.g. "PORT"
    const char *flag;         // command-line flag, e.g. "--port"
    const char *defaultValue; // as documented
    const char *doc;
    bool isSwitch;            // a flag that may stand alone (--demo means --demo=true)
    Apply apply;
};

// ---- value parsers --------------------------------------------------------

std::optional<bool> parseBool(const QString &text)
{
    const QString v = text.trimmed().toLower();
    if (v == u"1" || v == u"true" || v == u"on" || v == u"yes")
        return true;
    if (v == u"0" || v == u"false" || v == u"off" || v == u"no")
        return false;
    return std::nullopt;
}

// "300", "300s", "5m", "2h", "30d" → seconds.
std::optional<qint64> parseSeconds(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*(ms|s|m|h|d)?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 n = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    if (unit == u"ms")
        return std::nullopt; // whole seconds only where this parser is used
    if (unit == u"m")
        return n * 60;
    if (unit == u"h")
        return n * 3600;
    if (unit == u"d")
        return n * 86400;
    return n;
}

// "5000ms", "5s", "5" (seconds) → milliseconds.
std::optional<qint64> parseMilliseconds(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*(ms|s|m)?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 n = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    if (unit == u"ms")
        return n;
    if (unit == u"m")
        return n * 60'000;
    return n * 1000;
}

std::optional<qint64> parseInteger(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 n = text.trimmed().toLongLong(&ok);
    if (!ok || n < min || n > max)
        return std::nullopt;
    return n;
}

// "64k", "1m", "65536" → bytes.
std::optional<qint64> parseBytes(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,12})\\s*([kKmM]?)[bB]?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    qint64 n = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    if (unit == u"k")
        n *= 1024;
    else if (unit == u"m")
        n *= 1024 * 1024;
    return n;
}

QString quoted(const QString &value)
{
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

Apply boolSetting(bool Settings::*member)
{
    return [member](const QString &value, Settings &s) -> QString {
        const auto b = parseBool(value);
        if (!b)
            return QStringLiteral("expected true or false, got ") + quoted(value);
        s.*member = *b;
        return {};
    };
}

Apply secondsSetting(std::chrono::seconds Settings::*member, qint64 min, qint64 max)
{
    return [member, min, max](const QString &value, Settings &s) -> QString {
        const auto n = parseSeconds(value);
        if (!n || *n < min || *n > max)
            return QStringLiteral("expected a duration between %1 s and %2 s (e.g. 300, 5m, 12h, 30d), got %3")
                .arg(min)
                .arg(max)
                .arg(quoted(value));
        s.*member = std::chrono::seconds(*n);
        return {};
    };
}

Apply intSetting(std::function<int &(Settings &)> member, qint64 min, qint64 max)
{
    return [member, min, max](const QString &value, Settings &s) -> QString {
        const auto n = parseInteger(value, min, max);
        if (!n)
            return QStringLiteral("expected a whole number from %1 to %2, got %3").arg(min).arg(max).arg(quoted(value));
        member(s) = int(*n);
        return {};
    };
}

enum class OriginSchemes { HttpOrHttps, HttpsOnly };

// A comma list of origins, each serialised as browsers send it (lower-case
// scheme and host, no default port), without repeats; or why one is not an
// origin.
QString parseOrigins(const QString &value, OriginSchemes schemes, QStringList &origins)
{
    origins.clear();
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        QString origin = part.trimmed();
        while (origin.endsWith(QLatin1Char('/')))
            origin.chop(1);
        if (origin.isEmpty())
            continue;
        const QUrl url(origin, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()
            || !url.path().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
            return QStringLiteral("not an origin (scheme://host[:port]): ") + quoted(part.trimmed());
        if (schemes == OriginSchemes::HttpsOnly && url.scheme() != u"https")
            return QStringLiteral("not an https origin: ") + quoted(part.trimmed());
        QUrl normal;
        normal.setScheme(url.scheme().toLower());
        normal.setHost(url.host().toLower());
        const int defaultPort = url.scheme() == u"https" ? 443 : 80;
        if (url.port() != -1 && url.port() != defaultPort)
            normal.setPort(url.port());
        const QString serialised = normal.toString();
        if (!origins.contains(serialised))
            origins.append(serialised);
    }
    return {};
}

QString applyOrigins(const QString &value, Settings &s)
{
    QStringList origins;
    if (QString error = parseOrigins(value, OriginSchemes::HttpOrHttps, origins); !error.isEmpty())
        return error;
    if (origins.isEmpty())
        return QStringLiteral("needs at least one origin");
    s.allowedOrigins = origins;
    return {};
}

// Related origin requests are fetched and made over https only; a page on
// another site that is not https cannot use this RP ID.
QString applyRelatedOrigins(const QString &value, Settings &s)
{
    return parseOrigins(value, OriginSchemes::HttpsOnly, s.relatedOrigins);
}

QString applyTopOrigins(const QString &value, Settings &s)
{
    return parseOrigins(value, OriginSchemes::HttpOrHttps, s.topOrigins);
}

QString applyPasskeyHints(const QString &value, Settings &s)
{
    QList<webauthn::PublicKeyCredentialHint> hints;
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().toLower();
        if (name.isEmpty())
            continue;
        const auto hint = webauthn::hintFromName(name);
        if (!hint)
            return QStringLiteral("expected security-key, client-device or hybrid, got ") +
                   quoted(part.trimmed());
        if (hints.contains(*hint))
            return QStringLiteral("names %1 twice").arg(quoted(name));
        hints.append(*hint);
    }
    s.passkeyHints = hints;
    return {};
}

QString applyPublicUrl(const QString &value, Settings &s)
{
    QString text = value.trimmed();
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return QStringLiteral("not an http(s) URL without query or fragment: ") + quoted(value);
    s.publicUrl = text;
    return {};
}

QString applyTrustedProxies(const QString &value, Settings &s)
{
    QList<Subnet> subnets;
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString text = part.trimmed();
        if (text.isEmpty())
            continue;
        Subnet subnet;
        if (text.contains(QLatin1Char('/'))) {
            subnet = QHostAddress::parseSubnet(text);
            if (subnet.first.isNull())
                return QStringLiteral("not an address or CIDR range: ") + quoted(text);
        } else {
            QHostAddress address;
            if (!address.setAddress(text))
                return QStringLiteral("not an address or CIDR range: ") + quoted(text);
            subnet = {address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
        }
        subnets.append(subnet);
    }
    s.trustedProxies = subnets;
    return {};
}

QString applyReadableFile(const QString &value, QString &target)
{
    if (value.trimmed().isEmpty()) {
        target.clear();
        return {};
    }
    const QFileInfo info(value);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("no readable file at ") + quoted(value);
    target = info.absoluteFilePath();
    return {};
}

QString applyAllowedAaguids(const QString &value, Settings &s)
{
    static const QRegularExpression uuid(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    QList<QUuid> aaguids;
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString text = part.trimmed();
        if (text.isEmpty())
            continue;
        if (!uuid.match(text).hasMatch())
            return QStringLiteral("not an AAGUID (8-4-4-4-12 hex digits): ") + quoted(text);
        const QUuid aaguid = QUuid::fromString(text);
        if (!aaguids.contains(aaguid))
            aaguids.append(aaguid);
    }
    s.allowedAaguids = aaguids;
    return {};
}

const std::vector<SettingSpec> &settingsTable()
{
    static const std::vector<SettingSpec> table = {
        {"PORT", "--port", "7011", "TCP port of the HTTP API", false,
         [](const QString &v, Settings &s) -> QString {
             const auto n = parseInteger(v, 0, 65535);
             if (!n)
                 return QStringLiteral("not a port number (0-65535): ") + quoted(v);
             s.port = quint16(*n);
             return {};
         }},
        {"BIND_ADDRESS", "--bind-address",
         "0.0.0.0 and ::", "address to listen on (e.g. 127.0.0.1)", false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed();
             if (t == u"localhost") {
                 s.bindAddress = QHostAddress::LocalHost;
                 return {};
             }
             QHostAddress a;
             if (!a.setAddress(t))
                 return QStringLiteral("not an IP address: ") + quoted(v);
             s.bindAddress = a;
             return {};
         }},
        {"ENVIRONMENT", "--environment", "development",
         "development or production (sets the default RP_ID)", false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed().toLower();
             if (t == u"development" || t == u"dev")
                 s.environment = Environment::Development;
             else if (t == u"production" || t == u"prod")
                 s.environment = Environment::Production;
             else
                 return QStringLiteral("expected development or production, got ") + quoted(v);
             return {};
         }},
        {"RP_ID", "--rp-id", "localhost (daarion.city in production)",
         "WebAuthn relying party ID (a domain)", false,
         [](const QString &v, Settings &s) -> QString {
             static const QRegularExpression domain(
                 QStringLiteral("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"));
             const QString t = v.trimmed().toLower();
             if (!domain.match(t).hasMatch())
                 return QStringLiteral("not a domain name: ") + quoted(v);
             s.rpId = t;
             return {};
         }},
        {"RP_NAME", "--rp-name", "DAARION", "relying party name shown by authenticators", false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed();
             if (t.isEmpty() || t.size() > 64)
                 return QStringLiteral("must be 1-64 characters");
             s.rpName = t;
             return {};
         }},
        {"ORIGIN", "--origin", kDefaultOrigins,
         "allowed origins, comma-separated (WebAuthn origin check and CORS)", false, applyOrigins},
        {"RELATED_ORIGINS", "--related-origins", "(none)",
         "https origins of other sites that use this RP ID, comma-separated: served at "
         "/.well-known/webauthn, accepted in ceremonies and by CORS",
         false, applyRelatedOrigins},
        {"TOP_ORIGINS", "--top-origins", "(none)",
         "pages that may embed a ceremony in a cross-origin iframe, comma-separated; none: every "
         "embedded ceremony is refused",
         false, applyTopOrigins},
        {"PASSKEY_HINTS", "--passkey-hints", "(none)",
         "hints sent in creation and request options, in order of preference: security-key, "
         "client-device, hybrid",
         false, applyPasskeyHints},
        {"DATABASE_URL", "--database-url", "(required)",
         "postgresql://user[:password]@host[:port]/database", false,
         [](const QString &v, Settings &s) -> QString {
             s.databaseUrl = v.trimmed();
             return {};
         }},
        {"MIGRATE_ON_START", "--migrate-on-start", "true",
         "apply pending migrations before serving", true, boolSetting(&Settings::migrateOnStart)},
        {"SESSION_TTL", "--session-ttl", "30d", "absolute session lifetime", false,
         secondsSetting(&Settings::sessionTtl, 60, 366LL * 86400)},
        {"SESSION_IDLE_TIMEOUT", "--session-idle-timeout", "7d", "a session unused this long ends",
         false, secondsSetting(&Settings::sessionIdleTimeout, 60, 366LL * 86400)},
        {"CHALLENGE_TTL", "--challenge-ttl", "300s", "how long a ceremony challenge stays valid",
         false, secondsSetting(&Settings::challengeTtl, 10, 3600)},
        {"SWEEP_INTERVAL", "--sweep-interval", "60s",
         "how often expired challenges and sessions are deleted", false,
         secondsSetting(&Settings::sweepInterval, 1, 86400)},
        {"RATE_LIMIT", "--rate-limit", "on", "rate limits on ceremony routes (off for load tests)",
         true,
         [](const QString &v, Settings &s) -> QString {
             const auto b = parseBool(v);
             if (!b)
                 return QStringLiteral("expected on or off, got ") + quoted(v);
             s.rateLimit.enabled = *b;
             return {};
         }},
        {"RATE_LIMIT_IP_PER_MINUTE", "--rate-limit-ip-per-minute", "120",
         "ceremony requests per minute per client address", false,
         intSetting([](Settings &s) -> int & { return s.rateLimit.ipPerMinute; }, 1, 1'000'000)},
        {"RATE_LIMIT_IP_BURST", "--rate-limit-ip-burst", "30",
         "ceremony requests at once per client address", false,
         intSetting([](Settings &s) -> int & { return s.rateLimit.ipBurst; }, 1, 1'000'000)},
        {"RATE_LIMIT_USERNAME_PER_MINUTE", "--rate-limit-username-per-minute", "20",
         "ceremony requests per minute per username", false,
         intSetting([](Settings &s) -> int & { return s.rateLimit.usernamePerMinute; }, 1,
                    1'000'000)},
        {"RATE_LIMIT_USERNAME_BURST", "--rate-limit-username-burst", "10",
         "ceremony requests at once per username", false,
         intSetting([](Settings &s) -> int & { return s.rateLimit.usernameBurst; }, 1, 1'000'000)},
        {"TRUSTED_PROXIES", "--trusted-proxies", "(none)",
         "addresses or CIDR ranges whose X-Forwarded-For is believed, comma-separated", false,
         applyTrustedProxies},
        {"TLS_CERT", "--tls-cert", "(none)", "PEM certificate (chain) file: serve HTTPS", false,
         [](const QString &v, Settings &s) { return applyReadableFile(v, s.tlsCertificateFile); }},
        {"TLS_KEY", "--tls-key", "(none)", "PEM private key file for TLS_CERT", false,
         [](const QString &v, Settings &s) { return applyReadableFile(v, s.tlsKeyFile); }},
        {"JWT_SECRET", "--jwt-secret", "(none)",
         "HS256 key for POST /auth/token (at least 32 bytes); never logged", false,
         [](const QString &v, Settings &s) -> QString {
             const QByteArray secret = v.toUtf8();
             if (!secret.isEmpty() && secret.size() < 32)
                 return QStringLiteral("must be at least 32 bytes (it is %1)").arg(secret.size());
             s.jwtSecret = secret;
             return {};
         }},
        {"PUBLIC_URL", "--public-url", "(the first ORIGIN)",
         "where people open enrollment links: PUBLIC_URL/enroll#token=…", false, applyPublicUrl},
        {"ENROLLMENT_TTL", "--enrollment-ttl", "24h",
         "how long an enrollment link works (at most 7d)", false,
         secondsSetting(&Settings::enrollmentTtl, 300, 7LL * 86400)},
        {"ENROLLMENT_DELAY", "--enrollment-delay", "0",
         "cooling-off before an enrollment link works; meanwhile the account's sessions may cancel "
         "it",
         false, secondsSetting(&Settings::enrollmentDelay, 0, 7LL * 86400)},
        {"ENROLLMENT_REVOKES_SESSIONS", "--enrollment-revokes-sessions", "true",
         "using an enrollment link ends the account's other sessions", true,
         boolSetting(&Settings::enrollmentRevokesSessions)},
        {"MAX_BODY_BYTES", "--max-body-bytes", "64k", "largest request body accepted (413 above)",
         false,
         [](const QString &v, Settings &s) -> QString {
             const auto n = parseBytes(v);
             if (!n || *n < 1024 || *n > 16 * 1024 * 1024)
                 return QStringLiteral("expected 1k to 16m bytes, got ") + quoted(v);
             s.maxBodyBytes = *n;
             return {};
         }},
        {"MAX_CONNECTIONS", "--max-connections", "512", "concurrent connections; more are refused",
         false, intSetting([](Settings &s) -> int & { return s.maxConnections; }, 1, 100'000)},
        {"HTTP_IDLE_TIMEOUT", "--http-idle-timeout", "5s",
         "a connection without progress this long is closed (slow or silent clients)", false,
         [](const QString &v, Settings &s) -> QString {
             const auto n = parseMilliseconds(v);
             if (!n || *n < 100 || *n > 600'000)
                 return QStringLiteral("expected 100ms to 600s, got ") + quoted(v);
             s.httpIdleTimeout = std::chrono::milliseconds(*n);
             return {};
         }},
        {"WORKER_THREADS", "--worker-threads", "4",
         "threads (and database connections) for request work", false,
         intSetting([](Settings &s) -> int & { return s.workerThreads; }, 1, 256)},
        {"WORKER_QUEUE_LIMIT", "--worker-queue-limit", "256",
         "requests waiting for a worker; more get 503", false,
         intSetting([](Settings &s) -> int & { return s.workerQueueLimit; }, 1, 1'000'000)},
        {"REQUIRE_USER_VERIFICATION", "--require-user-verification", "false",
         "refuse ceremonies without the UV flag", true,
         boolSetting(&Settings::requireUserVerification)},
        {"ATTESTATION", "--attestation", "none", "attestation conveyance asked for: none or direct",
         false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed().toLower();
             if (t == u"none")
                 s.attestation = AttestationConveyance::None;
             else if (t == u"direct")
                 s.attestation = AttestationConveyance::Direct;
             else
                 return QStringLiteral("expected none or direct, got ") + quoted(v);
             return {};
         }},
        {"ATTESTATION_ROOTS", "--attestation-roots", "(none)",
         "directory of PEM attestation root certificates", false,
         [](const QString &v, Settings &s) -> QString {
             if (v.trimmed().isEmpty()) {
                 s.attestationRootsDirectory.clear();
                 return {};
             }
             const QFileInfo info(v);
             if (!info.isDir() || !info.isReadable())
                 return QStringLiteral("no readable directory at ") + quoted(v);
             s.attestationRootsDirectory = info.absoluteFilePath();
             return {};
         }},
        {"REQUIRE_TRUSTED_ATTESTATION", "--require-trusted-attestation", "false",
         "refuse attestations that chain to no configured root", true,
         boolSetting(&Settings::requireTrustedAttestation)},
        {"AUDIT_CHECKPOINT_INTERVAL", "--audit-checkpoint-interval", "10s",
         "how often settled audit rows are chained into a checkpoint (0: not on this replica)", false,
         [](const QString &v, Settings &s) -> QString {
             const auto n = parseMilliseconds(v);
             if (!n || (*n != 0 && (*n < 100 || *n > 3'600'000)))
                 return QStringLiteral("expected 0 (off) or 100ms to 1h, got ") + quoted(v);
             s.auditCheckpointInterval = std::chrono::milliseconds(*n);
             return {};
         }},
        {"AUDIT_SIGNING_KEY", "--audit-signing-key", "(none: checkpoints unsigned)",
         "Ed25519 private key (PEM) that signs audit checkpoints; never logged", false,
         [](const QString &v, Settings &s) -> QString {
             if (QString error = applyReadableFile(v, s.auditSigningKeyFile); !error.isEmpty())
                 return error;
             if (s.auditSigningKeyFile.isEmpty())
                 return {};
             const auto key = audit::AuditSigningKey::fromPemFile(s.auditSigningKeyFile);
             return key.ok() ? QString() : key.error();
         }},
        {"AUDIT_RETENTION_DAYS", "--audit-retention-days", "0 (keep all)",
         "delete audit rows older than this many days, recorded in a checkpoint", false,
         intSetting([](Settings &s) -> int & { return s.auditRetentionDays; }, 0, 36'500)},
        {"ATTESTATION_POLICY", "--attestation-policy", "any",
         "which attestations registration accepts: any, trusted (chains to ATTESTATION_ROOTS or "
         "the model's "
         "MDS roots) or allow-list (trusted and of a model in ALLOWED_AAGUIDS); trusted and "
         "allow-list need "
         "ATTESTATION=direct",
         false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed().toLower();
             if (t == u"any")
                 s.attestationPolicy = AttestationPolicy::Any;
             else if (t == u"trusted")
                 s.attestationPolicy = AttestationPolicy::Trusted;
             else if (t == u"allow-list")
                 s.attestationPolicy = AttestationPolicy::AllowList;
             else
                 return QStringLiteral("expected any, trusted or allow-list, got ") + quoted(v);
             return {};
         }},
        {"ALLOWED_AAGUIDS", "--allowed-aaguids", "(none)",
         "authenticator models (AAGUIDs, comma-separated) ATTESTATION_POLICY=allow-list accepts",
         false, applyAllowedAaguids},
        {"MDS_ROOT_CERT", "--mds-root-cert", "(the FIDO Alliance MDS root shipped inside)",
         "PEM file of the root(s) a metadata BLOB's certificate chain must lead to", false,
         [](const QString &v, Settings &s) {
             return applyReadableFile(v, s.mdsRootCertificateFile);
         }},
        {"METADATA_ACTION", "--metadata-action", "flag",
         "what a metadata import does to passkeys of a newly compromised model: flag, or disable "
         "(and end "
         "their sessions)",
         false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed().toLower();
             if (t == u"flag")
                 s.metadataAction = MetadataAction::Flag;
             else if (t == u"disable")
                 s.metadataAction = MetadataAction::Disable;
             else
                 return QStringLiteral("expected flag or disable, got ") + quoted(v);
             return {};
         }},
        {"COOKIE_SECURE", "--cookie-secure", "auto",
         "session cookie Secure and named __Host-session_token: auto (when TLS_CERT is set or "
         "every ORIGIN is "
         "https), true or false",
         false,
         [](const QString &v, Settings &s) -> QString {
             const QString t = v.trimmed().toLower();
             if (t == u"auto")
                 s.cookieSecure = CookieSecure::Auto;
             else if (const auto b = parseBool(t))
                 s.cookieSecure = *b ? CookieSecure::Always : CookieSecure::Never;
             else
                 return QStringLiteral("expected auto, true or false, got ") + quoted(v);
             return {};
         }},
        {"API_KEY_TTL", "--api-key-ttl", "90d",
         "lifetime of an agent key unless its maker asks for less (the most a person may ask for)",
         false, secondsSetting(&Settings::apiKeyTtl, 86400, 3650LL * 86400)},
        {"METRICS_TOKEN", "--metrics-token", "(none: /metrics is open)",
         "bearer token GET /metrics requires (at least 16 characters); never logged", false,
         [](const QString &v, Settings &s) -> QString {
             const QByteArray token = v.trimmed().toUtf8();
             if (!token.isEmpty() && token.size() < 16)
                 return QStringLiteral("must be at least 16 characters (it is %1)")
                     .arg(token.size());
             s.metricsToken = token;
             return {};
         }},
        {"DEMO", "--demo", "false",
         "serve the demo sign-up page at / and allow the daemon's own origin", true,
         boolSetting(&Settings::demo)},
    };
    return table;
}

const SettingSpec *findByFlag(const QString &flag)
{
    for (const SettingSpec &spec : settingsTable())
        if (flag == QLatin1String(spec.flag))
            return &spec;
    return nullptr;
}

QString redactedDatabaseUrl(const QString &url)
{
    QUrl parsed(url);
    if (!parsed.isValid())
        return QStringLiteral("(unparsable)");
    parsed.setPassword(QString());
    return parsed.toString();
}

// The attestation settings must agree with one another.
QString checkAttestationPolicy(Settings &settings)
{
    if (settings.attestationPolicy != AttestationPolicy::Any &&
        settings.attestation != AttestationConveyance::Direct)
        return QStringLiteral(
                   "ATTESTATION_POLICY: %1 needs ATTESTATION=direct (under none, browsers send "
                   "no attestation to trust)")
            .arg(settings.attestationPolicy == AttestationPolicy::Trusted
                     ? QStringLiteral("trusted")
                     : QStringLiteral("allow-list"));
    if (settings.attestationPolicy == AttestationPolicy::AllowList &&
        settings.allowedAaguids.isEmpty())
        return QStringLiteral(
            "ALLOWED_AAGUIDS: ATTESTATION_POLICY=allow-list needs at least one AAGUID");
    if (settings.attestationPolicy != AttestationPolicy::AllowList &&
        !settings.allowedAaguids.isEmpty())
        return QStringLiteral("ALLOWED_AAGUIDS: set, but ATTESTATION_POLICY is not allow-list");
    // REQUIRE_TRUSTED_ATTESTATION=true is the older spelling of ATTESTATION_POLICY=trusted.
    if (settings.attestationPolicy != AttestationPolicy::Any)
        settings.requireTrustedAttestation = true;
    else if (settings.requireTrustedAttestation)
        settings.attestationPolicy = AttestationPolicy::Trusted;
    return {};
}

} // namespace

SettingsOutcome loadSettings(const QProcessEnvironment &environment, const QStringList &arguments)
{
    Settings settings;
    applyOrigins(QString::fromLatin1(kDefaultOrigins), settings);
    bool rpIdGiven = false;
    bool originGiven = false;
    const auto apply = [&](const SettingSpec &spec, const QString &value, const QString &source) -> QString {
        const QString error = spec.apply(value, settings);
        if (!error.isEmpty())
            return QStringLiteral("%1 (%2): %3").arg(QLatin1String(spec.variable), source, error);
        if (qstrcmp(spec.variable, "RP_ID") == 0)
            rpIdGiven = true;
        if (qstrcmp(spec.variable, "ORIGIN") == 0)
            originGiven = true;
        return {};
    };

    for (const SettingSpec &spec : settingsTable()) {
        const QString variable = QLatin1String(spec.variable);
        if (!environment.contains(variable))
            continue;
        const QString value = environment.value(variable);
        // An empty variable means "not set" (compose files often pass VAR= through).
        if (value.isEmpty())
            continue;
        if (QString error = apply(spec, value, QStringLiteral("environment")); !error.isEmpty())
            return SettingsOutcome{std::nullopt, error, false};
    }

    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString argument = arguments.at(i);
        if (argument == u"--help" || argument == u"-h")
            return SettingsOutcome{std::nullopt, {}, true};
        if (!argument.startsWith(u"--"))
            return SettingsOutcome{std::nullopt, QStringLiteral("unexpected argument ") + quoted(argument), false};
        const qsizetype equals = argument.indexOf(QLatin1Char('='));
        const QString flag = equals < 0 ? argument : argument.left(equals);
        const SettingSpec *spec = findByFlag(flag);
        if (!spec)
            return SettingsOutcome{std::nullopt, QStringLiteral("unknown option ") + quoted(flag) +
                                                     QStringLiteral(" (see --help)"),
                                   false};
        QString value;
        if (equals >= 0) {
            value = argument.mid(equals + 1);
        } else if (spec->isSwitch && (i + 1 >= arguments.size() || arguments.at(i + 1).startsWith(u"--")
                                      || !parseBool(arguments.at(i + 1)))) {
            value = QStringLiteral("true");
        } else if (i + 1 < arguments.size()) {
            value = arguments.at(++i);
        } else {
            return SettingsOutcome{std::nullopt,
                                   QStringLiteral("%1 (%2): needs a value").arg(QLatin1String(spec->variable), flag),
                                   false};
        }
        if (QString error = apply(*spec, value, flag); !error.isEmpty())
            return SettingsOutcome{std::nullopt, error, false};
    }

    if (!rpIdGiven)
        settings.rpId = settings.environment == Environment::Production ? QStringLiteral("daarion.city")
                                                                        : QStringLiteral("localhost");
    // The default origins are development's (http://localhost:3000 among
    // them); production must say which pages may run ceremonies.
    if (settings.environment == Environment::Production && !originGiven)
        return SettingsOutcome{
            std::nullopt,
            QStringLiteral("ORIGIN: must be set when ENVIRONMENT=production (the default "
                           "allows http://localhost:3000)"),
            false};
    if (settings.tlsCertificateFile.isEmpty() != settings.tlsKeyFile.isEmpty())
        return SettingsOutcome{std::nullopt,
                               QStringLiteral("TLS_CERT and TLS_KEY: set both to serve HTTPS, or neither"), false};
    if (settings.databaseUrl.isEmpty())
        return SettingsOutcome{std::nullopt, QStringLiteral("DATABASE_URL: not set (postgresql://user@host:port/db)"),
                               false};
    if (QString error = checkAttestationPolicy(settings); !error.isEmpty())
        return SettingsOutcome{std::nullopt, error, false};
    return SettingsOutcome{settings, {}, false};
}

std::optional<std::chrono::seconds> parseDuration(const QString &text)
{
    const auto seconds = parseSeconds(text);
    if (!seconds)
        return std::nullopt;
    return std::chrono::seconds(*seconds);
}

QString applySetting(Settings &settings, const QString &variable, const QString &value)
{
    for (const SettingSpec &spec : settingsTable()) {
        if (variable != QLatin1String(spec.variable))
            continue;
        const QString error = spec.apply(value, settings);
        return error.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(variable, error);
    }
    return QStringLiteral("%1: no such setting").arg(variable);
}

bool sessionCookieSecure(const Settings &settings)
{
    switch (settings.cookieSecure) {
    case CookieSecure::Always:
        return true;
    case CookieSecure::Never:
        return false;
    case CookieSecure::Auto:
        break;
    }
    if (settings.tlsEnabled())
        return true;
    return !settings.allowedOrigins.isEmpty() &&
           std::all_of(
               settings.allowedOrigins.cbegin(), settings.allowedOrigins.cend(),
               [](const QString &origin) { return origin.startsWith(QLatin1String("https://")); });
}

QStringList Settings::ceremonyOrigins() const
{
    QStringList origins = allowedOrigins;
    for (const QString &origin : relatedOrigins) {
        if (!origins.contains(origin))
            origins.append(origin);
    }
    return origins;
}

QString settingsHelp()
{
    QString text = QStringLiteral(
        "Usage: daarion-authd [serve] [options]\n"
        "Each setting comes from its environment variable; the flag overrides it.\n"
        "Durations: 300, 300s, 5m, 12h, 30d. Sizes: 65536, 64k, 1m. Switches: --demo or --demo=false.\n\n");
    for (const SettingSpec &spec : settingsTable()) {
        const QString flag = QLatin1String(spec.flag) + (spec.isSwitch ? QStringLiteral("[=BOOL]") : QStringLiteral(" VALUE"));
        text += QStringLiteral("  %1 %2\n      %3; default %4\n")
                    .arg(flag, -40)
                    .arg(QLatin1String(spec.variable), QString::fromUtf8(spec.doc),
                         QString::fromUtf8(spec.defaultValue));
    }
    text += QStringLiteral(
        "\nOther commands: migrate, verify, apikey, membership, audit, metadata, enroll (each with "
        "--help).\n");
    return text;
}

QString describeSettings(const Settings &s)
{
    QStringList proxies;
    for (const Subnet &subnet : s.trustedProxies)
        proxies.append(subnet.first.toString() + QLatin1Char('/') + QString::number(subnet.second));
    const auto seconds = [](std::chrono::seconds d) { return QString::number(d.count()) + QLatin1Char('s'); };
    const auto orNone = [](const QStringList &list) {
        return list.isEmpty() ? QStringLiteral("none") : list.join(QLatin1Char(','));
    };
    QStringList hintNames;
    for (webauthn::PublicKeyCredentialHint hint : s.passkeyHints)
        hintNames.append(webauthn::hintName(hint));
    return QStringList{
        QStringLiteral("port=%1").arg(s.port),
        QStringLiteral("bind=%1").arg(
            s.bindAddress == QHostAddress::Any ? QStringLiteral("any") : s.bindAddress.toString()),
        QStringLiteral("tls=%1").arg(s.tlsEnabled() ? QStringLiteral("on") : QStringLiteral("off")),
        QStringLiteral("environment=%1")
            .arg(s.environment == Environment::Production ? QStringLiteral("production")
                                                          : QStringLiteral("development")),
        QStringLiteral("rp_id=%1").arg(s.rpId),
        QStringLiteral("rp_name=%1").arg(s.rpName),
        QStringLiteral("origins=%1").arg(s.allowedOrigins.join(QLatin1Char(','))),
        QStringLiteral("related_origins=%1").arg(orNone(s.relatedOrigins)),
        QStringLiteral("top_origins=%1").arg(orNone(s.topOrigins)),
        QStringLiteral("passkey_hints=%1").arg(orNone(hintNames)),
        QStringLiteral("database=%1").arg(redactedDatabaseUrl(s.databaseUrl)),
        QStringLiteral("migrate_on_start=%1").arg(s.migrateOnStart ? u"true" : u"false"),
        QStringLiteral("session_ttl=%1").arg(seconds(s.sessionTtl)),
        QStringLiteral("session_idle_timeout=%1").arg(seconds(s.sessionIdleTimeout)),
        QStringLiteral("challenge_ttl=%1").arg(seconds(s.challengeTtl)),
        QStringLiteral("sweep_interval=%1").arg(seconds(s.sweepInterval)),
        QStringLiteral("rate_limit=%1")
            .arg(s.rateLimit.enabled
                     ? QStringLiteral("ip:%1/min burst %2, username:%3/min burst %4")
                           .arg(s.rateLimit.ipPerMinute)
                           .arg(s.rateLimit.ipBurst)
                           .arg(s.rateLimit.usernamePerMinute)
                           .arg(s.rateLimit.usernameBurst)
                     : QStringLiteral("off")),
        QStringLiteral("trusted_proxies=%1")
            .arg(proxies.isEmpty() ? QStringLiteral("none") : proxies.join(u',')),
        QStringLiteral("jwt=%1").arg(s.jwtSecret.isEmpty() ? u"off" : u"on"),
        QStringLiteral("cookie_secure=%1").arg(sessionCookieSecure(s) ? u"true" : u"false"),
        QStringLiteral("api_key_ttl=%1").arg(seconds(s.apiKeyTtl)),
        QStringLiteral("metrics=%1").arg(s.metricsToken.isEmpty() ? u"open" : u"token"),
        QStringLiteral("public_url=%1").arg(s.effectivePublicUrl()),
        QStringLiteral("enrollment_ttl=%1").arg(seconds(s.enrollmentTtl)),
        QStringLiteral("enrollment_delay=%1").arg(seconds(s.enrollmentDelay)),
        QStringLiteral("enrollment_revokes_sessions=%1")
            .arg(s.enrollmentRevokesSessions ? u"true" : u"false"),
        QStringLiteral("max_body_bytes=%1").arg(s.maxBodyBytes),
        QStringLiteral("max_connections=%1").arg(s.maxConnections),
        QStringLiteral("http_idle_timeout=%1ms").arg(s.httpIdleTimeout.count()),
        QStringLiteral("worker_threads=%1").arg(s.workerThreads),
        QStringLiteral("worker_queue_limit=%1").arg(s.workerQueueLimit),
        QStringLiteral("require_uv=%1").arg(s.requireUserVerification ? u"true" : u"false"),
        QStringLiteral("attestation=%1")
            .arg(s.attestation == AttestationConveyance::Direct ? u"direct" : u"none"),
        QStringLiteral("attestation_roots=%1")
            .arg(s.attestationRootsDirectory.isEmpty() ? QStringLiteral("none") : s.attestationRootsDirectory),
        QStringLiteral("require_trusted_attestation=%1").arg(s.requireTrustedAttestation ? u"true" : u"false"),
        QStringLiteral("audit_checkpoint_interval=%1")
            .arg(s.auditCheckpointInterval.count() == 0 ? QStringLiteral("off")
                                                        : QString::number(s.auditCheckpointInterval.count()) +
                                                              QStringLiteral("ms")),
        QStringLiteral("audit_signing=%1").arg(s.auditSigningKeyFile.isEmpty() ? u"off" : u"on"),
        QStringLiteral("audit_retention_days=%1").arg(s.auditRetentionDays),
        QStringLiteral("attestation_policy=%1")
            .arg(s.attestationPolicy == AttestationPolicy::AllowList
                     ? QStringLiteral("allow-list(%1)").arg(s.allowedAaguids.size())
                 : s.attestationPolicy == AttestationPolicy::Trusted ? QStringLiteral("trusted")
                                                                     : QStringLiteral("any")),
        QStringLiteral("mds_root_cert=%1")
            .arg(s.mdsRootCertificateFile.isEmpty() ? QStringLiteral("shipped")
                                                    : s.mdsRootCertificateFile),
        QStringLiteral("metadata_action=%1")
            .arg(s.metadataAction == MetadataAction::Disable ? u"disable" : u"flag"),
        QStringLiteral("demo=%1").arg(s.demo ? u"on" : u"off"),
    }
        .join(QLatin1Char(' '));
}

} // namespace daarion::config
