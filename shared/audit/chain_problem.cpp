#include "shared/audit/chain_problem.h"

#include <array>
#include <utility>

namespace daarion::audit
{

namespace
{

constexpr std::array<std::pair<ChainProblemKind, const char *>, 13> names{{
    {ChainProblemKind::RowEdited, "row_edited"},
    {ChainProblemKind::RowDeleted, "row_deleted"},
    {ChainProblemKind::RowInserted, "row_inserted"},
    {ChainProblemKind::RowMoved, "row_moved"},
    {ChainProblemKind::RowUnsealed, "row_unsealed"},
    {ChainProblemKind::CheckpointAltered, "checkpoint_altered"},
    {ChainProblemKind::CheckpointMissing, "checkpoint_missing"},
    {ChainProblemKind::LinkBroken, "link_broken"},
    {ChainProblemKind::RangeBroken, "range_broken"},
    {ChainProblemKind::ManifestAltered, "manifest_altered"},
    {ChainProblemKind::SignatureInvalid, "signature_invalid"},
    {ChainProblemKind::SignatureMissing, "signature_missing"},
    {ChainProblemKind::UnknownSigner, "unknown_signer"},
}};

} // namespace

QString chainProblemName(ChainProblemKind kind)
{
    for (const auto &[k, name] : names) {
        if (k == kind)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("unknown");
}

} // namespace daarion::audit
