/**
 * The script that rebuilds an IRIS instance's volumes from a backup set (pure; run by the
 * restore Job before IRIS starts, and by the restore drill).
 *
 * It picks the set (`latest` or an id) among the Backups Longhorn knows — in another cluster on
 * the same target they appear once Longhorn has polled it — keeping only complete sets (every
 * volume Completed). For each volume it creates a Longhorn Volume `fromBackup`, waits for the
 * restore, then a Retain PV bound to the claim the instance uses (and, for IKO, that claim, which
 * the operator's StatefulSet adopts). It refuses to touch a claim or PV that already exists: a
 * restore never lands on data.
 */
import { setLabels } from "./backup-script";

/** Environment the restore script reads. */
export interface RestoreEnv {
    /** `<namespace>.<instance>` whose sets to restore. */
    readonly SOURCE: string;
    /** `latest` or a set id. */
    readonly SET: string;
    /** Namespace and name of the instance being rebuilt. */
    readonly TARGET_NAMESPACE: string;
    readonly TARGET_INSTANCE: string;
    /** `iko` (four claims per data pod, created here) or `standalone` (one `-durable` claim, Pulumi's). */
    readonly TARGET_KIND: "iko" | "standalone";
    readonly STORAGE_CLASS: string;
    readonly REPLICAS: string;
    readonly LONGHORN_NAMESPACE: string;
    /** Seconds to wait for a complete set to appear (another cluster polls the target). */
    readonly RESOLVE_TIMEOUT: string;
    /** Seconds each volume may take to restore. */
    readonly RESTORE_TIMEOUT: string;
}

/** The PV (= Longhorn volume) a restored claim is bound to: deterministic, so Pulumi can name it. */
export function restoredVolumeName(namespace: string, claim: string): string {
    return `restore-${namespace}-${claim}`;
}

/** The claim a durable standalone instance mounts. */
export function durableClaimName(instance: string): string {
    return `${instance}-durable`;
}

export function renderRestoreScript(): string {
    const L = setLabels;
    return `#!/usr/bin/env bash
# iris-platform: rebuild an IRIS instance's volumes from a backup set (see components/iris/restore-script.ts).
set -Eeuo pipefail
: "\${SOURCE:?}" "\${SET:?}" "\${TARGET_NAMESPACE:?}" "\${TARGET_INSTANCE:?}" "\${TARGET_KIND:?}"
: "\${STORAGE_CLASS:?}" "\${REPLICAS:?}" "\${LONGHORN_NAMESPACE:?}" "\${RESOLVE_TIMEOUT:?}" "\${RESTORE_TIMEOUT:?}"
START=$(date +%s)
log() { printf '%s restore %s -> %s/%s: %s\\n' "$(date -u +%H:%M:%S)" "$SOURCE" "$TARGET_NAMESPACE" "$TARGET_INSTANCE" "$*" >&2; }
event() {
  jq -n --arg ns "$TARGET_NAMESPACE" --arg type "$1" --arg reason "$2" --arg msg "$3" '{
    apiVersion: "v1", kind: "Event", metadata: {generateName: "iris-restore-", namespace: $ns},
    involvedObject: {kind: "Namespace", name: $ns, namespace: $ns}, type: $type, reason: $reason, message: $msg,
    source: {component: "iris-platform-restore"}}' | kubectl create -f - >/dev/null || true
}
fail() { log "FAILED: $1"; event Warning RestoreFailed "$1"; exit 1; }
trap 'fail "command failed at line $LINENO"' ERR

# 1. The set: complete sets only (every volume Completed; sets marked failed never count).
pick() {
  kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io -o json | jq -c --arg src "$SOURCE" --arg want "$SET" '
    [.items[] | ((.status.labels // {}) + (.spec.labels // {})) as $l
     | select($l["${L.instance}"] == $src and .status.state == "Completed"
              and (.metadata.labels["${L.state}"] // "") != "failed")
     | {set: $l["${L.set}"], size: ($l["${L.size}"] | tonumber), claim: $l["${L.claim}"],
        journal: ($l["${L.journal}"] // ""), url: .status.url, bytes: .status.volumeSize}]
    | group_by(.set) | map(select(length == .[0].size)) | sort_by(.[0].set)
    | (if $want == "latest" then last else (map(select(.[0].set == $want)) | first) end) // empty'
}
DEADLINE=$(( START + RESOLVE_TIMEOUT ))
until CHOSEN=$(pick) && [ -n "$CHOSEN" ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "no complete backup set '$SET' of $SOURCE within \${RESOLVE_TIMEOUT}s"
  sleep 10
done
SET_ID=$(jq -r '.[0].set' <<<"$CHOSEN")
JOURNAL=$(jq -r '.[0].journal' <<<"$CHOSEN")
COUNT=$(jq length <<<"$CHOSEN")
log "set $SET_ID: $COUNT volumes, journal at freeze \${JOURNAL:-unknown}"

# 2. Target claim per volume; refuse a kind mismatch or anything that already exists.
target_claim() { # source claim
  if [ "$TARGET_KIND" = standalone ]; then echo "$TARGET_INSTANCE-durable"
  else echo "$1" | sed -E "s/^(iris-[a-z0-9]+)-.*$/\\\\1-$TARGET_INSTANCE-data-0/"; fi
}
if [ "$TARGET_KIND" = standalone ] && [ "$COUNT" != 1 ]; then
  fail "set $SET_ID has $COUNT volumes (an IKO instance); it restores into an IKO instance only"
fi
if [ "$TARGET_KIND" = iko ] && [ "$COUNT" = 1 ]; then
  fail "set $SET_ID is a standalone instance's; it restores into a standalone instance only"
fi
while read -r row; do
  claim=$(target_claim "$(jq -r .claim <<<"$row")")
  pv="restore-$TARGET_NAMESPACE-$claim"
  if kubectl get pvc -n "$TARGET_NAMESPACE" "$claim" >/dev/null 2>&1; then
    fail "claim $TARGET_NAMESPACE/$claim exists and may hold data: refusing to restore over it (remove restoreFrom, or delete the claim deliberately first)"
  fi
  if kubectl get pv "$pv" >/dev/null 2>&1; then
    fail "volume $pv exists (an earlier restore?): delete it deliberately first"
  fi
done < <(jq -c '.[]' <<<"$CHOSEN")

# 3. Each volume from its backup, then a PV bound to the claim (and the claim, for IKO).
while read -r row; do
  claim=$(target_claim "$(jq -r .claim <<<"$row")")
  pv="restore-$TARGET_NAMESPACE-$claim"
  bytes=$(jq -r .bytes <<<"$row")
  jq -n --arg name "$pv" --arg ns "$LONGHORN_NAMESPACE" --arg url "$(jq -r .url <<<"$row")" \\
    --arg size "$bytes" --argjson replicas "$REPLICAS" '{apiVersion: "longhorn.io/v1beta2",
      kind: "Volume", metadata: {name: $name, namespace: $ns},
      spec: {fromBackup: $url, size: $size, numberOfReplicas: $replicas, frontend: "blockdev",
             accessMode: "rwo", dataEngine: "v1"}}' | kubectl create -f - >/dev/null ||
    fail "could not create Longhorn volume $pv"
  VOL_DEADLINE=$(( $(date +%s) + RESTORE_TIMEOUT ))
  until [ "$(kubectl get -n "$LONGHORN_NAMESPACE" volumes.longhorn.io "$pv" \\
      -o jsonpath='{.status.restoreInitiated}/{.status.restoreRequired}/{.status.state}')" = true/false/detached ]; do
    [ "$(date +%s)" -lt "$VOL_DEADLINE" ] || fail "volume $pv not restored within \${RESTORE_TIMEOUT}s"
    sleep 5
  done
  jq -n --arg name "$pv" --arg size "$bytes" --arg sc "$STORAGE_CLASS" --arg ns "$TARGET_NAMESPACE" \\
    --arg claim "$claim" --arg set "$SET_ID" '{apiVersion: "v1", kind: "PersistentVolume",
      metadata: {name: $name, labels: {"${L.set}": $set}},
      spec: {capacity: {storage: $size}, accessModes: ["ReadWriteOnce"], storageClassName: $sc,
             persistentVolumeReclaimPolicy: "Retain", claimRef: {namespace: $ns, name: $claim},
             csi: {driver: "driver.longhorn.io", volumeHandle: $name, fsType: "ext4"}}}' |
    kubectl create -f - >/dev/null || fail "could not create PV $pv"
  if [ "$TARGET_KIND" = iko ]; then
    jq -n --arg name "$claim" --arg ns "$TARGET_NAMESPACE" --arg size "$bytes" --arg sc "$STORAGE_CLASS" \\
      --arg pv "$pv" --arg inst "$TARGET_INSTANCE" '{apiVersion: "v1", kind: "PersistentVolumeClaim",
        metadata: {name: $name, namespace: $ns, labels: {"intersystems.com/name": $inst}},
        spec: {accessModes: ["ReadWriteOnce"], storageClassName: $sc, volumeName: $pv,
               resources: {requests: {storage: $size}}}}' | kubectl create -f - >/dev/null ||
      fail "could not create claim $claim"
  fi
  log "restored $claim"
done < <(jq -c '.[]' <<<"$CHOSEN")
AGE=$(( $(date -u +%s) - $(date -u -d "$(sed -E 's/(....)(..)(..)T(..)(..)(..)Z/\\1-\\2-\\3 \\4:\\5:\\6/' <<<"$SET_ID")" +%s) ))
event Normal RestoreCompleted "set $SET_ID of $SOURCE ($COUNT volumes, journal \${JOURNAL:-unknown}, \${AGE}s old) restored in $(( $(date +%s) - START ))s"
echo "set=$SET_ID journal=\${JOURNAL:-unknown} set_age_seconds=$AGE restore_seconds=$(( $(date +%s) - START ))"
`;
}
