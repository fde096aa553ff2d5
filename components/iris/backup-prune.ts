/**
 * What a backup set keeps when it completes (pure; part of the backup-set script).
 *
 * Backups: the newest RETAIN complete sets; every older set is deleted whole (good or failed).
 * Snapshots: this set's stay, as the base of each volume's next incremental backup; the
 * instance's older ones go. Returns the bash of a function `prune` that returns non-zero on the
 * first failed call (the caller reports it without touching the set's state).
 */
import type { setLabels } from "./backup-labels";

/** `L`: the set's label keys (backup-labels.ts `setLabels`). */
export function renderPrune(L: typeof setLabels): string {
    return `#    Backups: keep the newest RETAIN complete sets, delete every older set whole (good or failed).
#    Complete as restore's pick() counts it: every volume Completed and none labelled failed (a
#    set that timed out here may still complete in Longhorn, but no restore will use it).
#    Snapshots: keep this set's, the base of each volume's next incremental backup (Longhorn
#    backs up the blocks changed since the last backup's snapshot, and a full volume when that
#    snapshot is gone: longhorn/backupstore deltablock.go CreateDeltaBlockBackup, the version
#    longhorn-manager v1.12.1 pins); delete this instance's older ones.
prune() {
  local old names
  old=$(kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io -l "${L.instance}=$SOURCE" -o json) || return 1
  names=$(jq -r --argjson keep "$RETAIN" '
    [.items[] | {name: .metadata.name, set: .metadata.labels["${L.set}"],
                 size: (.metadata.labels["${L.size}"] | tonumber), state: .status.state,
                 failed: (.metadata.labels["${L.state}"] == "failed")}]
    | group_by(.set) | map({set: .[0].set, names: map(.name),
        good: (length == .[0].size and all(.state == "Completed" and (.failed | not)))})
    | (map(select(.good)) | sort_by(.set) | reverse) as $good
    | ($good[$keep - 1].set // "") as $oldestKept
    | map(select($oldestKept != "" and .set < $oldestKept))
    | .[].names[]' <<<"$old") || return 1
  for b in $names; do
    log "pruning backup $b"
    kubectl delete -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" --wait=false >/dev/null || return 1
  done
  old=$(kubectl get -n "$LONGHORN_NAMESPACE" snapshots.longhorn.io -l "${L.instance}=$SOURCE" -o json) || return 1
  names=$(jq -r --arg set "$SET_ID" '.items[] | select(.metadata.labels["${L.set}"] < $set) | .metadata.name' <<<"$old") || return 1
  for s in $names; do
    log "deleting snapshot $s (an older set's)"
    kubectl delete -n "$LONGHORN_NAMESPACE" snapshots.longhorn.io "$s" --wait=false >/dev/null || return 1
  done
}`;
}
