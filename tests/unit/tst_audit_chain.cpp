// The audit chain's pure parts: the RFC 6962 Merkle tree against the
// Certificate Transparency reference tree, Ed25519 against RFC 8032, the
// canonical encodings byte for byte, and the verifier naming each kind of
// tampering in a chain built in memory (tests/store/tst_audit_chain.cpp
// does the same on PostgreSQL).

#undef QT_NO_CAST_FROM_ASCII // literals read better in a test

#include "shared/audit/audit_row.h"
#include "shared/audit/canonical_encoding.h"
#include "shared/audit/chain_verifier.h"
#include "shared/audit/checkpoint.h"
#include "shared/audit/merkle_tree.h"
#include "shared/audit/signing_key.h"

#include <QCryptographicHash>
#include <QtTest>

using namespace daarion::audit;

namespace
{

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// The reference tree of Certificate Transparency (RFC 6962): these eight
// leaves and the tree heads of their prefixes, from the test data of
// google/certificate-transparency (cpp/merkletree/merkle_tree_test.cc),
// also used by transparency-dev/merkle.
const QList<QByteArray> ctLeaves = {hex(""),
                                    hex("00"),
                                    hex("10"),
                                    hex("2021"),
                                    hex("3031"),
                                    hex("40414243"),
                                    hex("5051525354555657"),
                                    hex("606162636465666768696a6b6c6d6e6f")};
const QList<QByteArray> ctRoots = {
    hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    hex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    hex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    hex("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    hex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
};

QList<QByteArray> leafHashes(const QList<QByteArray> &leaves)
{
    QList<QByteArray> hashes;
    for (const QByteArray &leaf : leaves)
        hashes.append(MerkleTree::leafHash(leaf));
    return hashes;
}

// RFC 6962 §2.1 as written: split at the largest power of two below n.
QByteArray referenceRoot(const QList<QByteArray> &hashes)
{
    if (hashes.isEmpty())
        return QCryptographicHash::hash(QByteArray(), QCryptographicHash::Sha256);
    if (hashes.size() == 1)
        return hashes.first();
    qsizetype k = 1;
    while (k * 2 < hashes.size())
        k *= 2;
    return MerkleTree::nodeHash(referenceRoot(hashes.mid(0, k)), referenceRoot(hashes.mid(k)));
}

// RFC 8032 §7.1, TEST 1: the secret key wrapped as PKCS#8 (RFC 8410).
const QByteArray rfc8032Secret =
    hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const QByteArray rfc8032Public =
    hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const QByteArray rfc8032Signature =
    hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33"
        "bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

QByteArray pem(const char *label, const QByteArray &der)
{
    return "-----BEGIN " + QByteArray(label) + "-----\n" + der.toBase64() + "\n-----END " +
           QByteArray(label) + "-----\n";
}

SealedRow sealed(qint64 id, quint64 xid, const QString &event, const QString &username = "alice")
{
    SealedRow row;
    row.id = id;
    row.xid = xid;
    row.occurredAtMicros = 1'796'421'816'692'525 + id;
    row.event = event;
    row.outcome = "success";
    row.username = username;
    row.userId = "4b1d0000-0000-4000-8000-000000000001";
    row.details = "{}";
    row.storedHash = rowContentHash(row);
    return row;
}

// A chain of checkpoints over rows, as the job would make it.
struct MemoryChain {
    QList<Checkpoint> checkpoints;
    QList<QList<SealedRow>> rows; // per checkpoint

    void add(const QList<SealedRow> &covered, quint64 xidTo, const AuditSigningKey *key,
             std::optional<qint64> prunedThrough = std::nullopt)
    {
        Checkpoint draft;
        draft.no = checkpoints.size() + 1;
        draft.createdAtMicros = 1'796'421'900'000'000 + draft.no * 10'000'000;
        draft.xidFrom = checkpoints.isEmpty() ? 0 : checkpoints.last().xidTo;
        draft.xidTo = xidTo;
        draft.prunedThrough = prunedThrough;
        draft.prevHash = checkpoints.isEmpty() ? genesisHash() : checkpoints.last().hash;
        QList<ManifestEntry> entries;
        for (const SealedRow &row : covered)
            entries.append({row.id, row.storedHash});
        checkpoints.append(sealCheckpoint(draft, entries, key));
        rows.append(covered);
    }

    ChainReport verify(VerifyPolicy policy = {}, const QList<SealedRow> &unchained = {},
                       qint64 pruned = 0) const
    {
        ChainVerifier verifier(std::move(policy), pruned);
        for (qsizetype i = 0; i < checkpoints.size(); ++i)
            verifier.addCheckpoint(checkpoints.at(i), rows.at(i));
        verifier.addUnchained(unchained);
        return verifier.finish();
    }
};

MemoryChain threeCheckpoints(const AuditSigningKey *key)
{
    MemoryChain chain;
    chain.add({sealed(1, 100, "login_success"), sealed(2, 101, "logout"),
               sealed(3, 101, "login_failure")},
              102, key);
    chain.add({sealed(4, 103, "login_success"), sealed(6, 104, "passkey_added")}, 105, key);
    chain.add({sealed(5, 105, "session_revoked"), sealed(7, 106, "login_success")}, 110, key);
    return chain;
}

QString problemsOf(const ChainReport &report)
{
    QStringList lines;
    for (const ChainProblem &problem : report.problems)
        lines << QString("%1 cp%2 row%3 other%4")
                     .arg(chainProblemName(problem.kind))
                     .arg(problem.checkpoint)
                     .arg(problem.rowId)
                     .arg(problem.otherRowId);
    return lines.join("; ");
}

} // namespace

class AuditChainTest : public QObject
{
    Q_OBJECT

private slots:
    void merkleRootsMatchTheCertificateTransparencyTree()
    {
        for (qsizetype size = 0; size <= ctLeaves.size(); ++size) {
            const QList<QByteArray> hashes = leafHashes(ctLeaves.mid(0, size));
            QCOMPARE(MerkleTree(hashes).root().toHex(), ctRoots.at(size).toHex());
        }
    }

    void auditPathsMatchTheCertificateTransparencyTree()
    {
        const MerkleTree tree(leafHashes(ctLeaves));
        QCOMPARE(tree.auditPath(0),
                 (QList<QByteArray>{
                     hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                     hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                     hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}));
        QCOMPARE(tree.auditPath(5),
                 (QList<QByteArray>{
                     hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                     hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                     hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}));
        QVERIFY(tree.auditPath(8).isEmpty());
        QVERIFY(tree.auditPath(-1).isEmpty());
    }

    void everyAuditPathVerifiesAndNothingElseDoes()
    {
        for (qsizetype size = 1; size <= 40; ++size) {
            QList<QByteArray> leaves;
            for (qsizetype i = 0; i < size; ++i)
                leaves.append(QByteArray::number(i * 7919));
            const QList<QByteArray> hashes = leafHashes(leaves);
            const MerkleTree tree(hashes);
            QCOMPARE(tree.root(), referenceRoot(hashes));
            for (qsizetype index = 0; index < size; ++index) {
                const QList<QByteArray> path = tree.auditPath(index);
                QVERIFY(
                    MerkleTree::verifyAuditPath(hashes.at(index), index, size, path, tree.root()));
                QVERIFY(!MerkleTree::verifyAuditPath(MerkleTree::leafHash("other"), index, size,
                                                     path, tree.root()));
                if (size > 1) {
                    QVERIFY(!MerkleTree::verifyAuditPath(hashes.at(index), (index + 1) % size, size,
                                                         path, tree.root()));
                    QList<QByteArray> bent = path;
                    bent[0][0] = char(bent[0][0] ^ 1);
                    QVERIFY(!MerkleTree::verifyAuditPath(hashes.at(index), index, size, bent,
                                                         tree.root()));
                }
                QVERIFY(
                    !MerkleTree::verifyAuditPath(hashes.at(index), size, size, path, tree.root()));
            }
        }
    }

    void ed25519MatchesRfc8032()
    {
        const QByteArray der = hex("302e020100300506032b657004220420") + rfc8032Secret;
        auto key = AuditSigningKey::fromPem(pem("PRIVATE KEY", der));
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.error()));
        QCOMPARE(key->publicKey().raw().toHex(), rfc8032Public.toHex());
        QCOMPARE(key->sign(QByteArray()).toHex(), rfc8032Signature.toHex());

        auto publicKey = AuditPublicKey::fromPem(key->publicKey().pem());
        QVERIFY(publicKey.ok());
        QCOMPARE(publicKey->raw(), rfc8032Public);
        QVERIFY(publicKey->verify(QByteArray(), rfc8032Signature));
        QByteArray flipped = rfc8032Signature;
        flipped[10] = char(flipped[10] ^ 0x40);
        QVERIFY(!publicKey->verify(QByteArray(), flipped));
        QVERIFY(!publicKey->verify("a message", rfc8032Signature));
        QVERIFY(!publicKey->verify(QByteArray(), rfc8032Signature.left(63)));
        QCOMPARE(publicKey->fingerprint(),
                 QString::fromLatin1(
                     QCryptographicHash::hash(rfc8032Public, QCryptographicHash::Sha256).toHex()));
    }

    void keysThatAreNotEd25519AreRefused()
    {
        QVERIFY(!AuditSigningKey::fromPem("not a key").ok());
        QVERIFY(!AuditSigningKey::fromPem(QByteArray()).ok());
        // A P-256 key (PKCS#8, RFC 5915 inside) is a key, but not this kind.
        const QByteArray p256 = "-----BEGIN PRIVATE KEY-----\n"
                                "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\n"
                                "OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n"
                                "1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G\n"
                                "-----END PRIVATE KEY-----\n";
        auto refused = AuditSigningKey::fromPem(p256);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains("Ed25519"), qPrintable(refused.error()));
        QVERIFY(!AuditPublicKey::fromRaw(QByteArray(31, 'x')).ok());
        QVERIFY(!AuditPublicKey::fromPem(p256).ok());
        QVERIFY(!AuditSigningKey::fromPemFile("/nonexistent/audit.pem").ok());
    }

    void generatedKeysRoundTripThroughPem()
    {
        const AuditSigningKey key = AuditSigningKey::generate();
        auto again = AuditSigningKey::fromPem(key.privatePem());
        QVERIFY(again.ok());
        QCOMPARE(again->publicKey().raw(), key.publicKey().raw());
        QVERIFY(key.publicKey().verify("m", again->sign("m")));
        QVERIFY(AuditSigningKey::generate().publicKey().raw() != key.publicKey().raw());
    }

    void rowEncodingIsPinnedByteForByte()
    {
        SealedRow row;
        row.id = 42;
        row.xid = 7'000'123;
        row.occurredAtMicros = 1'796'421'816'692'525;
        row.event = "login_failure";
        row.outcome = "failure";
        row.errorCode = "signature_invalid";
        row.username = QString::fromUtf8("zoë");
        row.clientIp = "";
        row.details = "{\"a\": \"x,y\"}";
        CanonicalEncoding expected("daarion.audit.row.v1");
        QCOMPARE(QString::fromUtf8(expected.encoded()), "20:daarion.audit.row.v1,");
        const QByteArray bytes =
            "20:daarion.audit.row.v1,2:42,7:7000123,16:1796421816692525,13:login_failure,"
            "7:failure,17:signature_invalid,-,4:zo\xc3\xab,-,-,-,0:,-,-,12:{\"a\": \"x,y\"},";
        QCOMPARE(rowContentHash(row).toHex(),
                 QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
        // NULL and empty differ; so does the id the content sits under.
        SealedRow nulled = row;
        nulled.clientIp.reset();
        QVERIFY(rowContentHash(nulled) != rowContentHash(row));
        QVERIFY(rowContentHashAt(row, 43) != rowContentHash(row));
        QCOMPARE(rowContentHashAt(row, 42), rowContentHash(row));
    }

    void checkpointHashCoversEveryField()
    {
        Checkpoint base;
        base.no = 3;
        base.createdAtMicros = 1'796'421'900'000'000;
        base.xidFrom = 100;
        base.xidTo = 200;
        base.prevHash = QByteArray(32, 'p');
        base = sealCheckpoint(base, {{1, QByteArray(32, 'a')}, {2, QByteArray(32, 'b')}}, nullptr);
        QCOMPARE(base.rowCount, 2);
        QCOMPARE(base.firstId, 1);
        QCOMPARE(base.lastId, 2);
        QVERIFY(!base.isSigned());
        const QList<std::function<void(Checkpoint &)>> changes = {
            [](Checkpoint &c) { c.no += 1; },
            [](Checkpoint &c) { c.createdAtMicros += 1; },
            [](Checkpoint &c) { c.xidFrom += 1; },
            [](Checkpoint &c) { c.xidTo += 1; },
            [](Checkpoint &c) { c.rowCount += 1; },
            [](Checkpoint &c) { c.firstId.reset(); },
            [](Checkpoint &c) { c.lastId = 3; },
            [](Checkpoint &c) { c.rootHash[0] = char(c.rootHash[0] ^ 1); },
            [](Checkpoint &c) { c.prunedThrough = 0; },
            [](Checkpoint &c) { c.prevHash[31] = 'q'; },
        };
        // The bytes hashed, pinned (docs/AUDIT.md).
        QCOMPARE(QString::fromUtf8(checkpointEncoding(base)),
                 "27:daarion.audit.checkpoint.v1,1:3,16:1796421900000000,3:100,3:200,1:2,1:1,1:2,64:" +
                     QString::fromLatin1(base.rootHash.toHex()) + ",-,64:" +
                     QString::fromLatin1(QByteArray(32, 'p').toHex()) + ",");
        for (const auto &change : changes) {
            Checkpoint changed = base;
            change(changed);
            QVERIFY(checkpointHash(changed) != base.hash);
        }
        QCOMPARE(checkpointHash(base), base.hash);
    }

    void manifestsDecodeOnlyWhenWellFormed()
    {
        const QList<ManifestEntry> entries = {{1, QByteArray(32, 'a')}, {9, QByteArray(32, 'b')}};
        const QByteArray bytes = encodeManifest(entries);
        QCOMPARE(bytes.size(), 80);
        auto decoded = decodeManifest(bytes);
        QVERIFY(decoded);
        QCOMPARE(decoded->size(), 2);
        QCOMPARE(decoded->at(1).id, 9);
        QCOMPARE(decoded->at(1).rowHash, QByteArray(32, 'b'));
        QVERIFY(!decodeManifest(bytes.left(79)));
        QVERIFY(
            !decodeManifest(encodeManifest({entries.at(1), entries.at(0)}))); // ids must increase
        QVERIFY(!decodeManifest(encodeManifest({entries.at(0), entries.at(0)})));
        QVERIFY(decodeManifest(QByteArray())->isEmpty());
    }

    void anIntactChainVerifies()
    {
        const AuditSigningKey key = AuditSigningKey::generate();
        const MemoryChain chain = threeCheckpoints(&key);
        const ChainReport report = chain.verify({}, {sealed(8, 111, "logout")});
        QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
        QCOMPARE(report.checkpoints, 3);
        QCOMPARE(report.rowsChecked, 7);
        QCOMPARE(report.rowsPending, 1);
        QCOMPARE(report.intactThrough, 3);
        QCOMPARE(report.signedCheckpoints, 3);
        QCOMPARE(report.signers, QStringList{key.publicKey().fingerprint()});
        QVERIFY2(report.summary().startsWith("intact up to checkpoint 3 at "),
                 qPrintable(report.summary()));

        const ChainReport pinned = chain.verify({{key.publicKey()}});
        QVERIFY(pinned.intact());
        QVERIFY(pinned.keysPinned);
    }

    void eachKindOfTamperingIsNamed_data()
    {
        QTest::addColumn<QString>("expected");
        QTest::newRow("edit a row") << "row_edited cp2 row6 other0";
        QTest::newRow("delete a row") << "row_deleted cp1 row2 other0";
        QTest::newRow("insert a row") << "row_inserted cp2 row50 other0";
        QTest::newRow("reorder two rows") << "row_moved cp1 row3 other1; row_moved cp1 row1 other3";
        QTest::newRow("edit a row before chaining") << "row_edited cp0 row8 other0";
        QTest::newRow("row without seal") << "row_unsealed cp0 row9 other0";
        QTest::newRow("forge a checkpoint's root")
            << "checkpoint_altered cp2 row0 other0; manifest_altered cp2 row0 other0";
        QTest::newRow("rewrite a checkpoint and its hash")
            << "signature_invalid cp2 row0 other0; link_broken cp3 row0 other0";
        QTest::newRow("delete a checkpoint") << "checkpoint_missing cp4 row0 other0; row_inserted "
                                                "cp4 row5 other0; row_inserted cp4 row7 other0";
        QTest::newRow("change a range")
            << "range_broken cp2 row0 other0; checkpoint_altered cp2 row0 other0";
        QTest::newRow("alter a manifest") << "manifest_altered cp1 row0 other0";
    }

    void eachKindOfTamperingIsNamed()
    {
        QFETCH(QString, expected);
        const AuditSigningKey key = AuditSigningKey::generate();
        MemoryChain chain = threeCheckpoints(&key);
        QList<SealedRow> unchained = {sealed(8, 111, "logout")};
        const QString name = QTest::currentDataTag();
        if (name == "edit a row") {
            chain.rows[1][1].username = "mallory"; // hash column untouched
        } else if (name == "delete a row") {
            chain.rows[0].removeAt(1);
        } else if (name == "insert a row") {
            chain.rows[1].append(sealed(50, 104, "login_success", "ghost")); // a fresh seal, even
        } else if (name == "reorder two rows") {
            std::swap(chain.rows[0][0].id, chain.rows[0][2].id); // content and seal change places
        } else if (name == "edit a row before chaining") {
            unchained[0].event = "login_success";
        } else if (name == "row without seal") {
            SealedRow bare = sealed(9, 112, "logout");
            bare.xid.reset();
            bare.storedHash.clear();
            unchained.append(bare);
        } else if (name == "forge a checkpoint's root") {
            chain.checkpoints[1].rootHash = QByteArray(32, 'f');
        } else if (name == "rewrite a checkpoint and its hash") {
            Checkpoint &forged = chain.checkpoints[1];
            forged.createdAtMicros += 1;
            forged.hash = checkpointHash(forged);
        } else if (name == "delete a checkpoint") {
            chain.add({sealed(8, 111, "logout")}, 112, &key);
            unchained.clear();
            // The third goes; its rows fall to the fourth, which never recorded them.
            chain.checkpoints.removeAt(2);
            chain.rows[3] = chain.rows.at(2) + chain.rows.at(3);
            chain.rows.removeAt(2);
        } else if (name == "change a range") {
            chain.checkpoints[1].xidFrom = 101;
        } else if (name == "alter a manifest") {
            QByteArray &manifest = chain.checkpoints[0].manifest;
            manifest[8] = char(manifest[8] ^ 1);
            expected += "; row_edited cp1 row1 other0";
        }
        const ChainReport report = chain.verify({}, unchained);
        QVERIFY(!report.intact());
        QCOMPARE(problemsOf(report), expected);
        QCOMPARE(report.problemCount, report.problems.size());
        QVERIFY2(report.summary().startsWith("broken: "), qPrintable(report.summary()));
    }

    void signaturesFollowThePinnedKeys()
    {
        const AuditSigningKey key = AuditSigningKey::generate();
        const AuditSigningKey other = AuditSigningKey::generate();
        const MemoryChain chain = threeCheckpoints(&key);
        const ChainReport foreign = chain.verify({{other.publicKey()}});
        QCOMPARE(problemsOf(foreign),
                 "unknown_signer cp1 row0 other0; unknown_signer cp2 row0 other0; "
                 "unknown_signer cp3 row0 other0");
        QVERIFY(
            chain.verify({{other.publicKey(), key.publicKey()}}).intact()); // rotation: either key

        const MemoryChain unsignedChain = threeCheckpoints(nullptr);
        const ChainReport open = unsignedChain.verify();
        QVERIFY(open.intact());
        QCOMPARE(open.unsignedCheckpoints, 3);
        QVERIFY2(open.summary().endsWith("(unsigned)"), qPrintable(open.summary()));
        QCOMPARE(problemsOf(unsignedChain.verify({{key.publicKey()}})),
                 "signature_missing cp1 row0 other0; signature_missing cp2 row0 other0; "
                 "signature_missing cp3 row0 other0");

        // Signed first, unsigned after: someone rewrote the tail without the key.
        MemoryChain downgraded;
        downgraded.add({sealed(1, 100, "login_success")}, 101, &key);
        downgraded.add({sealed(2, 101, "logout")}, 102, nullptr);
        QCOMPARE(problemsOf(downgraded.verify()), "signature_missing cp2 row0 other0");
        // Unsigned first, signed from when a key was configured: fine.
        MemoryChain upgraded;
        upgraded.add({sealed(1, 100, "login_success")}, 101, nullptr);
        upgraded.add({sealed(2, 101, "logout")}, 102, &key);
        QVERIFY(upgraded.verify().intact());
    }

    void prunedCheckpointsMayMissTheirRows()
    {
        MemoryChain chain = threeCheckpoints(nullptr);
        chain.add({}, 110, nullptr, 2);
        chain.rows[0].clear();
        chain.rows[1].clear();
        const ChainReport report = chain.verify({}, {}, 2);
        QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
        QCOMPARE(report.rowsChecked, 2);
        // Without the retention record the same rows are deleted ones.
        QCOMPARE(chain.verify({}, {}, 1).problemCount, 2);
    }
};

QTEST_GUILESS_MAIN(AuditChainTest)
#include "tst_audit_chain.moc"
