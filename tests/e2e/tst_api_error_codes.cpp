// Every error code of the API contract (../API.md "Errors"), reached over
// real HTTP against the real daemon, with its status and JSON body. Each
// case breaks exactly one thing; the last test checks that none was missed.

#include "tests/support/daemon_process.h"
#include "tests/support/passkey_user.h"
#include "tests/support/test_database.h"

#include <QtTest>

using namespace daarion::testing;

namespace {
// ../API.md, status by code.
const QMap<QString, int> kContract{
    {QStringLiteral("invalid_json"), 400}, {QStringLiteral("invalid_request"), 400},
    {QStringLiteral("challenge_invalid"), 400}, {QStringLiteral("type_mismatch"), 400},
    {QStringLiteral("origin_mismatch"), 400}, {QStringLiteral("rp_id_mismatch"), 400},
    {QStringLiteral("user_presence_required"), 400}, {QStringLiteral("user_verification_required"), 400},
    {QStringLiteral("malformed_credential"), 400}, {QStringLiteral("unsupported_algorithm"), 400},
    {QStringLiteral("attestation_invalid"), 400}, {QStringLiteral("backup_flags_invalid"), 400},
    {QStringLiteral("unauthenticated"), 401}, {QStringLiteral("invalid_session"), 401},
    {QStringLiteral("unknown_credential"), 401}, {QStringLiteral("signature_invalid"), 401},
    {QStringLiteral("token_reused"), 401}, {QStringLiteral("forbidden"), 403},
    {QStringLiteral("credential_disabled"), 403}, {QStringLiteral("user_disabled"), 403},
    {QStringLiteral("counter_regression"), 403}, {QStringLiteral("not_found"), 404},
    {QStringLiteral("username_taken"), 409}, {QStringLiteral("credential_exists"), 409},
    {QStringLiteral("last_credential"), 409}, {QStringLiteral("payload_too_large"), 413},
    {QStringLiteral("rate_limited"), 429}, {QStringLiteral("unavailable"), 503},
};
const QMap<QString, QString> kNoRateLimit{{QStringLiteral("RATE_LIMIT"), QStringLiteral("off")}};
} // namespace

class ApiErrorCodes : public QObject
{
    Q_OBJECT

private:
    TestDatabase m_db;
    DaemonProcess m_daemon; // rate limits off, user verification preferred
    QSet<QString> m_reached;
    int m_accounts = 0;

    // Asserts the contract's status and the JSON error body; remembers the code.
    bool expect(const HttpResponse &response, const QString &code)
    {
        const bool ok = response.status == kContract.value(code) && response.errorCode() == code &&
                        !response.json().value(QStringLiteral("message")).toString().isEmpty() &&
                        response.header("Content-Type").startsWith("application/json");
        if (ok)
            m_reached.insert(code);
        else
            qWarning().noquote() << "expected" << kContract.value(code) << code << "got" << response.describe();
        return ok;
    }

    std::unique_ptr<PasskeyUser> signedUp(SoftAuthenticator::Config config = {})
    {
        auto user = std::make_unique<PasskeyUser>(m_daemon.baseUrl(), std::move(config));
        const HttpResponse response = user->signUp(QStringLiteral("account%1").arg(++m_accounts));
        if (response.status != 200)
            qWarning().noquote() << "sign-up failed:" << response.describe();
        user->http().clearCookies();
        return user;
    }

    // Sign-up with one tweak; the finish's answer.
    HttpResponse signUpWith(const SoftTweaks &tweaks, SoftAuthenticator::Config config = {})
    {
        PasskeyUser user(m_daemon.baseUrl(), std::move(config));
        return user.signUp(QStringLiteral("tweaked%1").arg(++m_accounts), {}, tweaks);
    }

    // Sign-in of a fresh account with one tweak; the finish's answer.
    HttpResponse signInWith(const SoftTweaks &tweaks, SoftAuthenticator::Config config = {})
    {
        auto user = signedUp(std::move(config));
        return user->signIn(std::nullopt, tweaks);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_db.isReady(), qPrintable(m_db.error()));
        QVERIFY2(m_daemon.start(m_db.url(), kNoRateLimit), qPrintable(m_daemon.failure()));
    }

    void requestShape()
    {
        HttpClient http(m_daemon.baseUrl());
        const Headers json{{"Content-Type", "application/json"}};
        QVERIFY(expect(http.request("POST", QStringLiteral("/auth/passkey/register/start"), "{\"username\":", json),
                       QStringLiteral("invalid_json")));
        QVERIFY(expect(http.post(QStringLiteral("/auth/passkey/register/start"),
                                 QJsonObject{{QStringLiteral("username"), QStringLiteral("No Spaces")}}),
                       QStringLiteral("invalid_request")));
        QVERIFY(expect(http.request("POST", QStringLiteral("/auth/passkey/register/finish"),
                                    QByteArray(200 * 1024, 'x'), json),
                       QStringLiteral("payload_too_large")));
        QVERIFY(expect(http.get(QStringLiteral("/auth/nothing-here")), QStringLiteral("not_found")));
    }

    void clientDataRules()
    {
        SoftTweaks wrongType;
        wrongType.clientData = [](QJsonObject &c) { c[QStringLiteral("type")] = QStringLiteral("webauthn.get"); };
        QVERIFY(expect(signUpWith(wrongType), QStringLiteral("type_mismatch")));

        SoftTweaks wrongOrigin;
        wrongOrigin.clientData = [](QJsonObject &c) { c[QStringLiteral("origin")] = QStringLiteral("https://evil.example"); };
        QVERIFY(expect(signUpWith(wrongOrigin), QStringLiteral("origin_mismatch")));

        SoftTweaks wrongChallenge; // a challenge this service never issued
        wrongChallenge.clientData = [](QJsonObject &c) {
            c[QStringLiteral("challenge")] = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        };
        QVERIFY(expect(signInWith(wrongChallenge), QStringLiteral("challenge_invalid")));
    }

    void authenticatorDataRules()
    {
        SoftTweaks otherRp;
        otherRp.authenticatorData = [](QByteArray &authData) {
            authData.replace(0, 32, QCryptographicHash::hash("evil.example", QCryptographicHash::Sha256));
        };
        QVERIFY(expect(signInWith(otherRp), QStringLiteral("rp_id_mismatch")));

        SoftTweaks noPresence;
        noPresence.clearFlags = 0x01;
        QVERIFY(expect(signInWith(noPresence), QStringLiteral("user_presence_required")));

        SoftTweaks backedUpButNotEligible;
        backedUpButNotEligible.setFlags = 0x10;
        QVERIFY(expect(signUpWith(backedUpButNotEligible), QStringLiteral("backup_flags_invalid")));

        SoftTweaks truncated;
        truncated.attestationObjectBytes = [](QByteArray &bytes) { bytes.chop(5); };
        QVERIFY(expect(signUpWith(truncated), QStringLiteral("malformed_credential")));
    }

    void keysSignaturesAndAttestation()
    {
        SoftTweaks mislabelledKey; // a P-521 key that claims ES256 (which names P-256)
        mislabelledKey.coseKey = [](CborValue &key) { key.set(3, -7); };
        QVERIFY(expect(signUpWith(mislabelledKey, [] {
                    SoftAuthenticator::Config c;
                    c.algorithms = {softalg::ES512};
                    return c;
                }()),
                       QStringLiteral("unsupported_algorithm")));

        SoftTweaks flipped;
        flipped.signature = [](QByteArray &signature) { signature[signature.size() / 2] ^= 0x01; };
        QVERIFY(expect(signInWith(flipped), QStringLiteral("signature_invalid")));

        SoftAuthenticator::Config packed;
        packed.attestation = AttestationFormat::PackedSelf;
        SoftTweaks forgedStatement;
        forgedStatement.attestationObject = [](CborValue &object) {
            CborValue *sig = object.find("attStmt")->find("sig");
            QByteArray bytes = sig->toBytes();
            bytes[bytes.size() / 2] ^= 0x01;
            *sig = CborValue(bytes);
        };
        QVERIFY(expect(signUpWith(forgedStatement, packed), QStringLiteral("attestation_invalid")));
    }

    void userVerificationRequiredByPolicy()
    {
        DaemonProcess strict;
        QMap<QString, QString> env = kNoRateLimit;
        env.insert(QStringLiteral("REQUIRE_USER_VERIFICATION"), QStringLiteral("true"));
        QVERIFY2(strict.start(m_db.url(), env), qPrintable(strict.failure()));
        SoftAuthenticator::Config noUv;
        noUv.userVerifying = false;
        PasskeyUser user(strict.baseUrl(), noUv);
        QVERIFY(expect(user.signUp(QStringLiteral("strict-user")), QStringLiteral("user_verification_required")));
        QCOMPARE(strict.stop(), 0);
    }

    void sessionsAndCallers()
    {
        PasskeyUser stranger(m_daemon.baseUrl());
        QVERIFY(expect(stranger.get(QStringLiteral("/auth/me")), QStringLiteral("unauthenticated")));
        stranger.token = QStringLiteral("not-a-token");
        QVERIFY(expect(stranger.get(QStringLiteral("/auth/me")), QStringLiteral("invalid_session")));

        auto user = signedUp();
        const QString old = user->token;
        QCOMPARE(user->post(QStringLiteral("/auth/session/refresh")).status, 200);
        user->token = old;
        QVERIFY(expect(user->get(QStringLiteral("/auth/me")), QStringLiteral("token_reused")));

        // A sign-up can't finish an add-passkey challenge issued to someone else.
        auto owner = signedUp();
        auto other = signedUp();
        const HttpResponse started = owner->startAddPasskey();
        SoftAuthenticator device;
        const SoftRegistration registration = device.create(started.json(), owner->origin());
        QVERIFY(expect(other->finishRegistration(registration.json), QStringLiteral("forbidden")));
    }

    void accountsAndCredentials()
    {
        auto user = signedUp();
        PasskeyUser sameName(m_daemon.baseUrl());
        QVERIFY(expect(sameName.startSignUp(QStringLiteral("account%1").arg(m_accounts)),
                       QStringLiteral("username_taken")));

        SoftTweaks sameId;
        sameId.credentialId = user->authenticator().credentials().constFirst().id();
        QVERIFY(expect(signUpWith(sameId), QStringLiteral("credential_exists")));

        const QString passkey = user->get(QStringLiteral("/auth/passkeys"))
                                    .json().value(QStringLiteral("passkeys")).toArray().first()
                                    .toObject().value(QStringLiteral("id")).toString();
        QVERIFY(expect(user->del(QStringLiteral("/auth/passkeys/") + passkey), QStringLiteral("last_credential")));

        auto lost = signedUp();
        SoftTweaks foreign;
        foreign.credential = SoftCredential::generate(softalg::ES256, QStringLiteral("localhost"),
                                                      lost->authenticator().credentials().constFirst().userHandle());
        QVERIFY(expect(lost->signIn(std::nullopt, foreign), QStringLiteral("unknown_credential")));

        auto disabledKey = signedUp();
        QVERIFY(m_db.exec(QStringLiteral("UPDATE passkeys SET disabled_at = now() WHERE credential_id = '%1'")
                              .arg(disabledKey->authenticator().credentials().constFirst().idBase64Url())).isEmpty());
        QVERIFY(expect(disabledKey->signIn(std::nullopt), QStringLiteral("credential_disabled")));

        auto disabledUser = signedUp();
        QVERIFY(m_db.exec(QStringLiteral("UPDATE users SET disabled_at = now() WHERE username = 'account%1'")
                              .arg(m_accounts)).isEmpty());
        QVERIFY(expect(disabledUser->signIn(std::nullopt), QStringLiteral("user_disabled")));

        auto cloned = signedUp();
        QCOMPARE(cloned->signIn(std::nullopt).status, 200);
        cloned->authenticator().credentials().constFirst().setSignCount(0);
        QVERIFY(expect(cloned->signIn(std::nullopt), QStringLiteral("counter_regression")));
    }

    void rateLimited()
    {
        DaemonProcess limited;
        QVERIFY2(limited.start(m_db.url(), {{QStringLiteral("RATE_LIMIT"), QStringLiteral("on")}}),
                 qPrintable(limited.failure()));
        PasskeyUser client(limited.baseUrl());
        HttpResponse last;
        for (int i = 0; i < 200 && last.status != 429; ++i)
            last = client.startSignIn(QStringLiteral("hammered"));
        QVERIFY(expect(last, QStringLiteral("rate_limited")));
        QVERIFY(last.header("Retry-After").toInt() >= 1);
        QCOMPARE(limited.stop(), 0);
    }

    void unavailable()
    {
        // A daemon whose database went away after start: terminate its
        // connections and refuse new ones, then let it back.
        TestDatabase lonely;
        QVERIFY2(lonely.isReady(), qPrintable(lonely.error()));
        DaemonProcess daemon;
        QVERIFY2(daemon.start(lonely.url(), kNoRateLimit), qPrintable(daemon.failure()));
        const QString name = lonely.name();
        QVERIFY(m_db.exec(QStringLiteral("ALTER DATABASE \"%1\" ALLOW_CONNECTIONS false").arg(name)).isEmpty());
        QVERIFY(m_db.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                         "WHERE datname = '%1' AND pid <> pg_backend_pid()").arg(name)).isEmpty());
        PasskeyUser user(daemon.baseUrl());
        QVERIFY(expect(user.startSignIn(std::nullopt), QStringLiteral("unavailable")));
        QVERIFY(m_db.exec(QStringLiteral("ALTER DATABASE \"%1\" ALLOW_CONNECTIONS true").arg(name)).isEmpty());
        QCOMPARE(daemon.stop(), 0);
    }

    void everyContractCodeWasReached()
    {
        QStringList missing;
        for (const QString &code : kContract.keys()) {
            if (!m_reached.contains(code))
                missing.append(code);
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("never reached: ") + missing.join(u", ")));
    }

    void cleanupTestCase() { QCOMPARE(m_daemon.stop(), 0); }
};

QTEST_GUILESS_MAIN(ApiErrorCodes)
#include "tst_api_error_codes.moc"
