/**
 * The script that rebuilds an IRIS instance's volumes from a backup set (pure; run by the
 * restore Job before IRIS starts, and by the restore drill).
 *
 * It picks the set (`latest` or an id) among the Backups Longhorn knows — in another cluster on
 * the same target they appear once Longhorn has polled it — keeping only complete sets (every
 * volume Completed, none being deleted). Then, for every volume at once, it creates a Longhorn
 * Volume `fromBackup` with the StorageClass's settings, waits for the restore, then a Retain PV
 * bound to the claim the instance uses (and, for IKO, that claim, which the operator's
 * StatefulSet adopts). It reports how long each volume and the whole set took. It refuses to
 * touch a claim, PV or Volume that already exists: a restore never lands on data.
 */
import { createHash } from "crypto";
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
    /** Longhorn StorageClass whose parameters the restored volumes take. */
    readonly STORAGE_CLASS: string;
    /** Replicas per restored volume; empty: the class's `numberOfReplicas`. */
    readonly REPLICAS: string;
    readonly LONGHORN_NAMESPACE: string;
    /** Seconds to wait for a complete set to appear (another cluster polls the target). */
    readonly RESOLVE_TIMEOUT: string;
    /** Seconds each volume may take to restore. */
    readonly RESTORE_TIMEOUT: string;
    /**
     * A set taken from a mirror member: `refuse` (restoreFrom: the instance it starts would keep
     * the mirror configuration) or `demirror` (the drill, which removes it before IRIS starts).
     */
    readonly MIRROR_SETS: "refuse" | "demirror";
}

/** Labels the restore puts on each Volume and PV: where it belongs (claim names fit, ≤ 63). */
export const restoredLabels = {
    namespace: "iris-platform.io/restored-namespace",
    claim: "iris-platform.io/restored-claim",
} as const;

/**
 * The Longhorn Volume and PV a restored claim is bound to: `r-` + 32 hex of
 * sha256(`<namespace>/<claim>`), 34 characters. Longhorn refuses (renames, in fact) Volume names
 * over 40 characters (longhorn-manager v1.12.1 datastore/longhorn.go:44 NameMaximumLength,
 * webhook/resources/volume/mutator.go:95) and wants a DNS-1123 label (datastore/longhorn.go:1281):
 * a digest fits whatever the namespace and claim, stays deterministic (Pulumi names the durable
 * claim's volume before the Job runs) and does not collide. The script computes the same with
 * sha256sum; test/restore-script.test.ts proves they agree.
 */
export function restoredVolumeName(namespace: string, claim: string): string {
    return `r-${createHash("sha256").update(`${namespace}/${claim}`).digest("hex").slice(0, 32)}`;
}

/** The claim a durable standalone instance mounts. */
export function durableClaimName(instance: string): string {
    return `${instance}-durable`;
}

export function renderRestoreScript(): string {
    const L = setLabels;
    const R = restoredLabels;
    return `#!/usr/bin/env bash
# iris-platform: rebuild an IRIS instance's volumes from a backup set (see components/iris/restore-script.ts).
set -Eeuo pipefail
: "\${SOURCE:?}" "\${SET:?}" "\${TARGET_NAMESPACE:?}" "\${TARGET_INSTANCE:?}" "\${TARGET_KIND:?}"
: "\${STORAGE_CLASS:?}" "\${LONGHORN_NAMESPACE:?}" "\${RESOLVE_TIMEOUT:?}" "\${RESTORE_TIMEOUT:?}"
REPLICAS="\${REPLICAS:-}"
START=$(date +%s)
WORK=$(mktemp -d)
log() { printf '%s restore %s -> %s/%s: %s\\n' "$(date -u +%H:%M:%S)" "$SOURCE" "$TARGET_NAMESPACE" "$TARGET_INSTANCE" "$*" >&2; }
event() {
  jq -n --arg ns "$TARGET_NAMESPACE" --arg type "$1" --arg reason "$2" --arg msg "$3" '{
    apiVersion: "v1", kind: "Event", metadata: {generateName: "iris-restore-", namespace: $ns},
    involvedObject: {kind: "Namespace", name: $ns, namespace: $ns}, type: $type, reason: $reason, message: $msg,
    source: {component: "iris-platform-restore"}}' | kubectl create -f - >/dev/null || true
}
fail() { log "FAILED: $1"; event Warning RestoreFailed "$1"; exit 1; }
trap 'fail "command failed at line $LINENO"' ERR

# 1. The set: complete sets only (every volume Completed; sets marked failed and Backups being
#    deleted never count: a deleting Backup's data may already be gone from the target).
pick() {
  kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io -o json | jq -c --arg src "$SOURCE" --arg want "$SET" '
    [.items[] | ((.status.labels // {}) + (.spec.labels // {})) as $l
     | select($l["${L.instance}"] == $src and .status.state == "Completed"
              and .metadata.deletionTimestamp == null
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
# A mirror member's claims end in -data-0-<member> (IKO names them iris-<volume>-<cluster>-data-0-N;
# a non-mirrored data node's end in -data-0): its durable %SYS holds the mirror configuration.
MIRRORED=$(jq -r 'any(.[]; .claim | test("-data-0-[0-9]+$"))' <<<"$CHOSEN")
if [ "$MIRRORED" = true ] && [ "\${MIRROR_SETS:-refuse}" != demirror ]; then
  fail "set $SET_ID was taken from a mirror member: restored as is, IRIS would start as a member of the live mirror (read-only mirrored databases). restoreFrom does not remove mirror configuration; see docs/backup.md (mirror sets)"
fi

# 2. The class's settings, as Longhorn's CSI driver would apply them to a volume it provisions
#    (longhorn-manager v1.12.1 csi/util.go:97 getVolumeOptions: numberOfReplicas,
#    staleReplicaTimeout (default 2880, csi/util.go:33), dataLocality, recurringJobSelector →
#    labels recurring-job[-group].longhorn.io/<name>=enabled, manager/volume.go:159-166,
#    types/types.go:204,249,756), and the PV as Longhorn writes one (datastore/kubernetes.go:1102).
#    Left out, Longhorn's mutator would fill replicas and locality from its global settings
#    (webhook/resources/volume/mutator.go:100,115), not the class's. It adds the labels it needs
#    itself (backup-volume, backup-target: mutator.go:226,231; longhornvolume: webhook/common/common.go:82).
CLASS=$(kubectl get storageclass "$STORAGE_CLASS" -o json) || fail "could not read StorageClass $STORAGE_CLASS (kubectl says why above)"
[ "$(jq -r .provisioner <<<"$CLASS")" = driver.longhorn.io ] || fail "StorageClass $STORAGE_CLASS is not Longhorn's (driver.longhorn.io)"
SETTINGS=$(jq -c --arg replicas "$REPLICAS" '.parameters // {} | {
    numberOfReplicas: ((if $replicas != "" then $replicas else .numberOfReplicas end) // "" | tonumber? // null),
    staleReplicaTimeout: ((.staleReplicaTimeout // "2880") | tonumber),
    dataLocality: (.dataLocality // null),
    fsType: (.fsType // "ext4"),
    labels: ((.recurringJobSelector // "[]") | fromjson | map({key: ("recurring-\\(if .isGroup then "job-group" else "job" end).longhorn.io/\\(.name)"), value: "enabled"}) | from_entries)}' <<<"$CLASS")
jq -e '.numberOfReplicas != null and .dataLocality != null' <<<"$SETTINGS" >/dev/null ||
  fail "StorageClass $STORAGE_CLASS sets no numberOfReplicas/dataLocality"

# 3. Target claim and names per volume; refuse a kind mismatch or anything that already exists.
target_claim() { # source claim
  if [ "$TARGET_KIND" = standalone ]; then echo "$TARGET_INSTANCE-durable"
  else echo "$1" | sed -E "s/^(iris-[a-z0-9]+)-.*$/\\\\1-$TARGET_INSTANCE-data-0/"; fi
}
# restoredVolumeName (restore-script.ts): r- + 32 hex of sha256("<namespace>/<claim>").
volume_name() { printf 'r-%s' "$(printf '%s/%s' "$TARGET_NAMESPACE" "$1" | sha256sum | cut -c1-32)"; }
if [ "$TARGET_KIND" = standalone ] && [ "$COUNT" != 1 ]; then
  fail "set $SET_ID has $COUNT volumes (an IKO instance); it restores into an IKO instance only"
fi
if [ "$TARGET_KIND" = iko ] && [ "$COUNT" = 1 ]; then
  fail "set $SET_ID is a standalone instance's; it restores into a standalone instance only"
fi
while read -r row; do
  claim=$(target_claim "$(jq -r .claim <<<"$row")")
  vol=$(volume_name "$claim")
  if kubectl get pvc -n "$TARGET_NAMESPACE" "$claim" >/dev/null 2>&1; then
    fail "claim $TARGET_NAMESPACE/$claim exists and may hold data: refusing to restore over it (remove restoreFrom, or delete the claim deliberately first)"
  fi
  if kubectl get pv "$vol" >/dev/null 2>&1 || kubectl get -n "$LONGHORN_NAMESPACE" volumes.longhorn.io "$vol" >/dev/null 2>&1; then
    fail "volume $vol (of claim $TARGET_NAMESPACE/$claim) exists (an earlier restore?): delete it deliberately first"
  fi
done < <(jq -c '.[]' <<<"$CHOSEN")

# 4. One volume: a Longhorn Volume from its backup, then a PV bound to the claim (and the claim,
#    for IKO). Runs in the background, one per volume; writes its result to $WORK/<n>.
restore_one() { # row index
  local row=$1 out="$WORK/$2" claim vol bytes t0 labels
  trap - ERR
  claim=$(target_claim "$(jq -r .claim <<<"$row")")
  vol=$(volume_name "$claim")
  bytes=$(jq -r .bytes <<<"$row")
  t0=$(date +%s)
  labels=$(jq -c --arg ns "$TARGET_NAMESPACE" --arg claim "$claim" --arg set "$SET_ID" \\
    '.labels + {"${R.namespace}": $ns, "${R.claim}": $claim, "${L.set}": $set}' <<<"$SETTINGS")
  # Volume fields: longhorn-manager v1.12.1 k8s/pkg/apis/longhorn/v1beta2/volume.go:307-389; the
  # admission rules it meets are test/fakes/longhorn-admission.ts.
  jq -n --arg name "$vol" --arg ns "$LONGHORN_NAMESPACE" --arg url "$(jq -r .url <<<"$row")" \\
    --arg size "$bytes" --argjson s "$SETTINGS" --argjson labels "$labels" '{apiVersion: "longhorn.io/v1beta2",
      kind: "Volume", metadata: {name: $name, namespace: $ns, labels: $labels},
      spec: {fromBackup: $url, size: $size, numberOfReplicas: $s.numberOfReplicas,
             staleReplicaTimeout: $s.staleReplicaTimeout, dataLocality: $s.dataLocality,
             frontend: "blockdev", accessMode: "rwo", dataEngine: "v1"}}' | kubectl create -f - >/dev/null ||
    { echo "could not create Longhorn volume $vol for $claim" >"$out.err"; return 1; }
  local deadline=$(( t0 + RESTORE_TIMEOUT ))
  until [ "$(kubectl get -n "$LONGHORN_NAMESPACE" volumes.longhorn.io "$vol" \\
      -o jsonpath='{.status.restoreInitiated}/{.status.restoreRequired}/{.status.state}')" = true/false/detached ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "volume $vol ($claim) not restored within \${RESTORE_TIMEOUT}s" >"$out.err"; return 1; }
    sleep 5
  done
  jq -n --arg name "$vol" --arg size "$bytes" --arg sc "$STORAGE_CLASS" --arg ns "$TARGET_NAMESPACE" \\
    --arg claim "$claim" --argjson s "$SETTINGS" --argjson labels "$labels" '{apiVersion: "v1", kind: "PersistentVolume",
      metadata: {name: $name, labels: $labels},
      spec: {capacity: {storage: $size}, accessModes: ["ReadWriteOnce"], storageClassName: $sc,
             persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem",
             claimRef: {namespace: $ns, name: $claim},
             csi: {driver: "driver.longhorn.io", volumeHandle: $name, fsType: $s.fsType,
                   volumeAttributes: {numberOfReplicas: ($s.numberOfReplicas | tostring),
                     staleReplicaTimeout: ($s.staleReplicaTimeout | tostring), diskSelector: "", nodeSelector: ""}}}}' |
    kubectl create -f - >/dev/null || { echo "could not create PV $vol for $claim" >"$out.err"; return 1; }
  if [ "$TARGET_KIND" = iko ]; then
    jq -n --arg name "$claim" --arg ns "$TARGET_NAMESPACE" --arg size "$bytes" --arg sc "$STORAGE_CLASS" \\
      --arg pv "$vol" --arg inst "$TARGET_INSTANCE" '{apiVersion: "v1", kind: "PersistentVolumeClaim",
        metadata: {name: $name, namespace: $ns, labels: {"intersystems.com/name": $inst}},
        spec: {accessModes: ["ReadWriteOnce"], storageClassName: $sc, volumeName: $pv,
               resources: {requests: {storage: $size}}}}' | kubectl create -f - >/dev/null ||
      { echo "could not create claim $claim" >"$out.err"; return 1; }
  fi
  echo "volume claim=$claim name=$vol bytes=$bytes seconds=$(( $(date +%s) - t0 ))" >"$out"
}
PIDS=()
n=0
while read -r row; do
  restore_one "$row" "$n" &
  PIDS+=("$!")
  n=$(( n + 1 ))
done < <(jq -c '.[]' <<<"$CHOSEN")
log "restoring $n volumes in parallel"
FAILED=0
for pid in "\${PIDS[@]}"; do wait "$pid" || FAILED=1; done
if [ "$FAILED" = 1 ]; then
  WHY=$( (cat "$WORK"/*.err 2>/dev/null || true) | paste -sd ';' -)
  fail "\${WHY:-a volume restore failed (its log is above)}"
fi
cat "$WORK"/[0-9]* | sort
while read -r line; do log "restored \${line#volume }"; done < <(cat "$WORK"/[0-9]*)
AGE=$(( $(date -u +%s) - $(date -u -d "$(sed -E 's/(....)(..)(..)T(..)(..)(..)Z/\\1-\\2-\\3 \\4:\\5:\\6/' <<<"$SET_ID")" +%s) ))
TOOK=$(( $(date +%s) - START ))
event Normal RestoreCompleted "set $SET_ID of $SOURCE ($COUNT volumes, journal \${JOURNAL:-unknown}, \${AGE}s old) restored in \${TOOK}s"
echo "set=$SET_ID journal=\${JOURNAL:-unknown} set_age_seconds=$AGE restore_seconds=$TOOK mirrored=$MIRRORED"
`;
}
