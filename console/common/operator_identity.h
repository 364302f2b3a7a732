#pragma once
// Who is operating the console and whether they may change anything. Every
// change the console makes is audited as "operator:<name>".

#include "shared/store/audit_repository.h"

#include <QString>

namespace daarion::console {

struct OperatorIdentity {
    QString name;          // --operator NAME, default the OS user name
    bool readOnly = false; // --read-only: no action is offered at all
    // Where the enrollment links this operator issues open (--public-url:
    // PUBLIC_URL, else the first ORIGIN, as the daemon has it).
    QString publicUrl = QStringLiteral("http://localhost:3000");

    store::AuditContext auditContext() const;

    // The OS user name ($USER, $LOGNAME, $USERNAME, else the account's), or "unknown".
    static QString systemUserName();
};

} // namespace daarion::console
