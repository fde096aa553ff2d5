/**
 * The script of an IRIS instance's consistent backup set (pure; rendered into a ConfigMap).
 *
 * Order, chosen so the freeze lasts seconds: ExternalFreeze → a Longhorn Snapshot of every
 * volume of the frozen pod → wait until each is readyToUse → ExternalThaw → a Longhorn Backup
 * of each snapshot → wait until each is Completed → prune whole sets beyond retention.
 * Thaw runs on every exit path (EXIT trap, TERM included). A set is complete only when all its
 * backups are Completed; a failed or partial set is labelled failed, gets a Warning Event and
 * makes the Job fail. The set's labels travel with each backup to the backup target, so another
 * cluster on the same target can find and restore the set.
 */

/** Labels of a backup set (on Snapshots and Backups; also stored with each backup in the target). */
export const setLabels = {
    /** Set id: the UTC time of the freeze (`backupSetIdPattern`, domain/backup.ts). */
    set: "iris-platform.io/backup-set",
    /** `<namespace>.<instance>` of the source instance. */
    instance: "iris-platform.io/instance",
    /** Volumes in the set: a set is complete when this many of its backups are Completed. */
    size: "iris-platform.io/set-size",
    /** The PVC the volume belonged to (restore recreates it under this name). */
    claim: "iris-platform.io/claim",
    /** The journal file IRIS switched to at the freeze (the set's journal position). */
    journal: "iris-platform.io/journal",
    /** `failed` on the Backup CRs of a set that did not complete (cluster-local). */
    state: "iris-platform.io/set-state",
} as const;

/** Environment the backup script reads (set on the CronJob's container). */
export interface BackupEnv {
    /** Namespace of the IRIS instance (and of the Job). */
    readonly NAMESPACE: string;
    /** Instance name. */
    readonly INSTANCE: string;
    /** Label selector of the instance's data pods. */
    readonly POD_SELECTOR: string;
    /** IRIS container in the pod; empty: the pod's default container. */
    readonly CONTAINER: string;
    /** Longhorn's namespace (Snapshots and Backups live there). */
    readonly LONGHORN_NAMESPACE: string;
    /** Complete sets to keep. */
    readonly RETAIN: string;
    /** Seconds the instance may stay frozen (freeze call plus snapshots). */
    readonly FREEZE_TIMEOUT: string;
    /** Seconds the backups may take to reach the target. */
    readonly BACKUP_TIMEOUT: string;
}

/** Exit status of `iris session … ExternalFreeze()` when the freeze succeeded (3 when it failed). */
export const freezeSucceeded = 5;

/** The bash script (needs bash, kubectl, jq, timeout). */
export function renderBackupScript(): string {
    const L = setLabels;
    return `#!/usr/bin/env bash
# iris-platform: one consistent backup set of an IRIS instance (see components/iris/backup-script.ts).
set -Eeuo pipefail
: "\${NAMESPACE:?}" "\${INSTANCE:?}" "\${POD_SELECTOR:?}" "\${LONGHORN_NAMESPACE:?}"
: "\${RETAIN:?}" "\${FREEZE_TIMEOUT:?}" "\${BACKUP_TIMEOUT:?}"
CONTAINER="\${CONTAINER:-}"
IN_CONTAINER=()
[ -z "$CONTAINER" ] || IN_CONTAINER=(-c "$CONTAINER")
SET_ID="\${SET_ID:-$(date -u +%Y%m%dT%H%M%SZ)}"
SOURCE="\${NAMESPACE}.\${INSTANCE}"
POD=""
FROZEN=0
BACKUPS=()

log() { printf '%s backup %s %s: %s\\n' "$(date -u +%H:%M:%S)" "$SOURCE" "$SET_ID" "$*" >&2; }

# A Kubernetes Event on the instance's pod (or the namespace when no pod was found).
event() {
  jq -n --arg ns "$NAMESPACE" --arg pod "$POD" --arg type "$1" --arg reason "$2" --arg msg "$3" '{
    apiVersion: "v1", kind: "Event",
    metadata: {generateName: "iris-backup-", namespace: $ns},
    involvedObject: (if $pod == "" then {kind: "Namespace", name: $ns, namespace: $ns}
                     else {kind: "Pod", name: $pod, namespace: $ns} end),
    type: $type, reason: $reason, message: $msg,
    source: {component: "iris-platform-backup"}}' |
    kubectl create -f - >/dev/null || log "could not record event $2"
}

in_iris() {
  kubectl exec -n "$NAMESPACE" "$POD" "\${IN_CONTAINER[@]}" -- "$@"
}

thaw() {
  [ "$FROZEN" = 1 ] || return 0
  FROZEN=0
  local rc=0
  in_iris iris session IRIS -U%SYS '##Class(Backup.General).ExternalThaw()' || rc=$?
  log "ExternalThaw exit status $rc"
  if [ "$rc" != 0 ] && [ "$rc" != ${freezeSucceeded} ]; then
    event Warning ThawFailed "ExternalThaw exited $rc: check the instance at once (iris stat IRIS -W)"
  fi
}

# Marks the set failed (it never counts as a good set), says why, and fails the Job.
fail() {
  thaw
  log "FAILED: $1"
  local b
  for b in "\${BACKUPS[@]}"; do
    kubectl label -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" --overwrite ${L.state}=failed >/dev/null || true
  done
  event Warning BackupSetFailed "set $SET_ID of $SOURCE failed: $1"
  exit 1
}

trap 'thaw' EXIT
trap 'exit 143' TERM INT
trap 'fail "command failed at line $LINENO"' ERR

# 1. The pod to freeze: for a mirror the backup member (the primary keeps serving), else the
#    primary, else the one running data pod.
POD=$(kubectl get pods -n "$NAMESPACE" -l "$POD_SELECTOR" -o json | jq -r '
  [.items[] | select(.status.phase == "Running")] as $p
  | (($p | map(select(.metadata.labels["intersystems.com/mirrorRole"] == "backup")))
     + ($p | map(select(.metadata.labels["intersystems.com/mirrorRole"] == "primary"))) + $p)
  | .[0].metadata.name // empty')
[ -n "$POD" ] || fail "no running pod matches $POD_SELECTOR"

# 2. Every volume of that pod, each a Longhorn volume (PVC -> PV -> CSI volume handle).
VOLUMES=()
CLAIMS=()
for claim in $(kubectl get pod -n "$NAMESPACE" "$POD" -o json |
    jq -r '.spec.volumes[] | select(.persistentVolumeClaim) | .persistentVolumeClaim.claimName'); do
  pv=$(kubectl get pvc -n "$NAMESPACE" "$claim" -o jsonpath='{.spec.volumeName}')
  driver=$(kubectl get pv "$pv" -o jsonpath='{.spec.csi.driver}')
  [ "$driver" = driver.longhorn.io ] || fail "volume $claim is not a Longhorn volume ($driver)"
  VOLUMES+=("$(kubectl get pv "$pv" -o jsonpath='{.spec.csi.volumeHandle}')")
  CLAIMS+=("$claim")
done
[ "\${#VOLUMES[@]}" -gt 0 ] || fail "pod $POD has no volumes"
log "pod $POD, volumes: \${CLAIMS[*]}"

labels() { # claim [journal]
  jq -n --arg set "$SET_ID" --arg src "$SOURCE" --arg n "\${#VOLUMES[@]}" --arg claim "$1" --arg j "\${2:-}" \\
    '{"${L.set}": $set, "${L.instance}": $src, "${L.size}": $n, "${L.claim}": $claim}
     + (if $j == "" then {} else {"${L.journal}": $j} end)'
}

# 3. Freeze (bounded), snapshot every volume, wait until all are ready, thaw.
FREEZE_START=$(date +%s)
FROZEN=1
rc=0
timeout "$FREEZE_TIMEOUT" kubectl exec -n "$NAMESPACE" "$POD" "\${IN_CONTAINER[@]}" -- \\
  iris session IRIS -U%SYS '##Class(Backup.General).ExternalFreeze()' || rc=$?
[ "$rc" = ${freezeSucceeded} ] || fail "ExternalFreeze exited $rc (${freezeSucceeded} means frozen)"
JOURNAL=$(in_iris sh -c "echo 'write ##class(%SYS.Journal.System).GetCurFileName() halt' | iris session IRIS -U%SYS" |
  tr -d '\\r' | grep -o '[0-9]\\{8\\}\\.[0-9]\\{3\\}' | tail -1 || true)
SNAPSHOTS=()
for i in "\${!VOLUMES[@]}"; do
  name="\${VOLUMES[$i]}-\${SET_ID,,}"
  jq -n --arg name "$name" --arg ns "$LONGHORN_NAMESPACE" --arg vol "\${VOLUMES[$i]}" \\
    --argjson labels "$(labels "\${CLAIMS[$i]}" "$JOURNAL")" \\
    '{apiVersion: "longhorn.io/v1beta2", kind: "Snapshot",
      metadata: {name: $name, namespace: $ns, labels: $labels},
      spec: {volume: $vol, createSnapshot: true, labels: $labels}}' | kubectl create -f - >/dev/null ||
    fail "could not snapshot \${CLAIMS[$i]} (\${VOLUMES[$i]})"
  SNAPSHOTS+=("$name")
done
for s in "\${SNAPSHOTS[@]}"; do
  left=$(( FREEZE_TIMEOUT - ($(date +%s) - FREEZE_START) ))
  [ "$left" -gt 0 ] || fail "snapshots not ready within the \${FREEZE_TIMEOUT}s freeze window"
  kubectl wait -n "$LONGHORN_NAMESPACE" snapshots.longhorn.io "$s" \\
    --for=jsonpath='{.status.readyToUse}'=true --timeout="\${left}s" >/dev/null ||
    fail "snapshot $s not ready within the \${FREEZE_TIMEOUT}s freeze window"
done
thaw
log "frozen for $(( $(date +%s) - FREEZE_START ))s; journal at freeze: \${JOURNAL:-unknown}"

# 4. Back up each snapshot; the set is good only when every backup is Completed.
for i in "\${!SNAPSHOTS[@]}"; do
  jq -n --arg name "\${SNAPSHOTS[$i]}" --arg ns "$LONGHORN_NAMESPACE" --arg vol "\${VOLUMES[$i]}" \\
    --argjson labels "$(labels "\${CLAIMS[$i]}" "$JOURNAL")" \\
    '{apiVersion: "longhorn.io/v1beta2", kind: "Backup",
      metadata: {name: $name, namespace: $ns,
                 labels: ($labels + {"backup-volume": $vol, "backup-target": "default"})},
      spec: {snapshotName: $name, labels: $labels}}' | kubectl create -f - >/dev/null ||
    fail "could not start the backup of \${CLAIMS[$i]}"
  BACKUPS+=("\${SNAPSHOTS[$i]}")
done
DEADLINE=$(( $(date +%s) + BACKUP_TIMEOUT ))
for b in "\${BACKUPS[@]}"; do
  while :; do
    state=$(kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" -o jsonpath='{.status.state}')
    [ "$state" = Completed ] && break
    [ "$state" = Error ] && fail "backup $b: $(kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" -o jsonpath='{.status.error}')"
    [ "$(date +%s)" -lt "$DEADLINE" ] || fail "backup $b not Completed within \${BACKUP_TIMEOUT}s (state \${state:-none})"
    sleep 5
  done
done
event Normal BackupSetCompleted "set $SET_ID of $SOURCE: \${#BACKUPS[@]} volumes, journal \${JOURNAL:-unknown}"

# 5. Keep the newest RETAIN complete sets; delete every older set whole (good or failed).
kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io -l "${L.instance}=$SOURCE" -o json |
  jq -r --argjson keep "$RETAIN" '
    [.items[] | {name: .metadata.name, set: .metadata.labels["${L.set}"],
                 size: (.metadata.labels["${L.size}"] | tonumber), state: .status.state}]
    | group_by(.set) | map({set: .[0].set, names: map(.name),
        good: (length == .[0].size and all(.state == "Completed"))})
    | (map(select(.good)) | sort_by(.set) | reverse) as $good
    | ($good[$keep - 1].set // "") as $oldestKept
    | map(select($oldestKept != "" and .set < $oldestKept))
    | .[].names[]' |
  while read -r old; do
    log "pruning $old"
    kubectl delete -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$old" --wait=false >/dev/null
  done
for s in "\${SNAPSHOTS[@]}"; do
  kubectl delete -n "$LONGHORN_NAMESPACE" snapshots.longhorn.io "$s" --wait=false >/dev/null || true
done
log "complete"
`;
}
