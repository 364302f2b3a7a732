#pragma once
// Who is operating the console and whether they may change anything. Every
// change the console makes is audited as "operator:<name>".

#include "shared/store/audit_repository.h"

#include <QString>

namespace daarion::console {

struct OperatorIdentity {
    QString name;          // --operator NAME, default the OS user name
    bool readOnly = false; // --read-only: no action is offered at all

    store::AuditContext auditContext() const;

    // The OS user name ($USER, $LOGNAME, $USERNAME, else the account's), or "unknown".
    static QString systemUserName();
};

} // namespace daarion::console
