#pragma once
// The operator's changes. Each one asks for confirmation, goes through the
// store's repository on the worker thread (which writes the audit row naming
// the operator in the same transaction), then reports. In read-only mode
// nothing is asked and nothing is sent.

#include "console/common/operator_identity.h"
#include "console/common/operator_prompts.h"

#include "shared/store/api_key_repository.h"
#include "shared/store/enrollment_repository.h"
#include "shared/store/membership_repository.h"
#include "shared/store/passkey_repository.h"
#include "shared/store/session_repository.h"
#include "shared/store/user_repository.h"

#include <QObject>

namespace daarion::console {

class StoreClient;

class OperatorActions : public QObject
{
    Q_OBJECT

public:
    OperatorActions(StoreClient &client, OperatorIdentity identity, OperatorPrompts &prompts,
                    QObject *parent = nullptr);

    const OperatorIdentity &identity() const { return m_identity; }

    // Each returns false when nothing was sent (declined, or read-only);
    // the outcome follows as succeeded() or failed().
    bool revokeSession(const store::SessionWithOwner &session);
    bool revokeAllSessions(const QUuid &userId, const QString &username);
    bool setUserDisabled(const store::UserRecord &user, bool disabled);
    bool setPasskeyDisabled(const store::PasskeyWithOwner &passkey, bool disabled);
    bool deletePasskey(const store::PasskeyWithOwner &passkey);
    bool grantMembership(const MembershipGrant &suggestion); // asks for the details first
    bool revokeMembership(const store::MembershipRecord &membership);
    bool revokeApiKey(const store::ApiKeyRecord &key);
    // Enrollment links: the form first, then confirmation; the issued link
    // is shown through the prompts (the only time its token is seen).
    bool issueEnrollmentLink(const store::UserRecord &user);
    bool inviteUser();
    bool revokeEnrollment(const store::EnrollmentRecord &link);

signals:
    void succeeded(const QString &summary);
    void failed(const QString &summary, const QString &reason);
    void dataChanged(); // after every finished action: views reload

private:
    bool allowed(const QString &title, const QString &question);
    bool issue(const EnrollmentChoice &suggestion);
    template <typename Job>
    void run(const QString &summary, Job job);

    StoreClient &m_client;
    OperatorIdentity m_identity;
    OperatorPrompts &m_prompts;
};

} // namespace daarion::console
