#pragma once
// Verifies the whole audit trail in the database: reads the checkpoints in
// order with the rows of each one's range, and the rows not chained yet,
// and hands them to audit::ChainVerifier. Memory stays bounded by reading a
// group of checkpoints of at most ~50,000 rows at a time. What
// `daarion-authd audit verify` prints and the console's audit view shows.

#include "shared/audit/chain_verifier.h"
#include "shared/store/store_error.h"

namespace daarion::store
{

class Database;

StoreResult<audit::ChainReport> verifyAuditChain(Database &database,
                                                 const audit::VerifyPolicy &policy);

} // namespace daarion::store
