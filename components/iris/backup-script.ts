/**
 * The script of an IRIS instance's consistent backup set (pure; rendered into a ConfigMap).
 *
 * Order, chosen so the freeze lasts seconds: ExternalFreeze (with IRIS's own suspend limit) →
 * a Longhorn Snapshot of every volume of the frozen pod → wait until each is readyToUse → check
 * IRIS was still frozen → ExternalThaw → a Longhorn Backup of each snapshot → wait until each is
 * Completed → prune. Thaw runs on every exit path (EXIT trap; TERM too, because every long wait
 * runs in the background under `wait`, which a trapped signal interrupts). A set is complete only
 * when all its backups are Completed; a failed or partial set is labelled failed, gets a Warning
 * Event and makes the Job fail. A failed thaw or prune fails the Job with its own Warning Event
 * but leaves a complete set complete. The set's labels travel with each backup to the backup
 * target, so another cluster on the same target can find and restore the set.
 */
import { freezeCall, queries, thawCall, thawSucceeded, freezeSucceeded } from "./backup-iris";
import { renderPrune } from "./backup-prune";
import { setLabels } from "./backup-labels";

export { setLabels } from "./backup-labels";

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
    /** Seconds IRIS may stay frozen (freeze call plus snapshots); also IRIS's WDSuspendLimit. */
    readonly FREEZE_TIMEOUT: string;
    /** Seconds the backups may take to reach the target. */
    readonly BACKUP_TIMEOUT: string;
}

/** Seconds the thaw call may take before it counts as failed. */
export const thawTimeoutSeconds = 60;

/** The bash script (needs bash, kubectl, jq, timeout). */
export function renderBackupScript(): string {
    const L = setLabels;
    return `#!/usr/bin/env bash
# iris-platform: one consistent backup set of an IRIS instance (see components/iris/backup-script.ts).
set -Eeuo pipefail
: "\${NAMESPACE:?}" "\${INSTANCE:?}" "\${POD_SELECTOR:?}" "\${LONGHORN_NAMESPACE:?}"
: "\${RETAIN:?}" "\${FREEZE_TIMEOUT:?}" "\${BACKUP_TIMEOUT:?}"
[[ "$FREEZE_TIMEOUT$RETAIN$BACKUP_TIMEOUT" =~ ^[0-9]+$ ]] || { echo "FREEZE_TIMEOUT, RETAIN, BACKUP_TIMEOUT must be numbers" >&2; exit 2; }
CONTAINER="\${CONTAINER:-}"
IN_CONTAINER=()
[ -z "$CONTAINER" ] || IN_CONTAINER=(-c "$CONTAINER")
SET_ID="\${SET_ID:-$(date -u +%Y%m%dT%H%M%SZ)}"
SOURCE="\${NAMESPACE}.\${INSTANCE}"
POD=""
FROZEN=0
COMPLETE=0
CHILD=""
PROBLEMS=()
BACKUPS=()

log() { printf '%s backup %s %s: %s\\n' "$(date -u +%H:%M:%S)" "$SOURCE" "$SET_ID" "$*" >&2; }

# Runs a command in the background and waits for it. Bash runs a trap only once a foreground
# child has exited, but a trapped signal interrupts \`wait\` at once (bash manual, "Signals"):
# so TERM during a long call thaws IRIS now, not after the call.
bg() {
  "$@" &
  CHILD=$!
  local rc=0
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

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

# \`iris session\` with an exit-status call (Backup.General's documented 5/3), bounded by $1 seconds.
iris_call() {
  bg timeout "$1" kubectl exec -n "$NAMESPACE" "$POD" "\${IN_CONTAINER[@]}" -- iris session IRIS -U%SYS "$2"
}

# Sets variable $3 to the value an ObjectScript query ($1: code printing $2=value) prints; empty
# if none. No command substitution: the main shell waits in \`wait\`, so TERM is handled at once.
iris_query() {
  local out
  out=$(mktemp)
  timeout 30 kubectl exec -i -n "$NAMESPACE" "$POD" "\${IN_CONTAINER[@]}" -- iris session IRIS -U%SYS \\
    <<<"$1" >"$out" 2>&1 &
  CHILD=$!
  wait "$CHILD" || log "iris session for $2 exited $?: $(tr -d '\\r' <"$out" | tail -3 | tr '\\n' ' ')"
  CHILD=""
  # The answer: what follows the last "$2=" on a line, free of quotes (an echoed command line has one).
  printf -v "$3" '%s' "$(tr -d '\\r' <"$out" | sed -n "s/.*$2=\\([^\\"]*\\)$/\\1/p" | tail -1)"
  rm -f "$out"
}

# FROZEN: 0 not frozen, 1 maybe (the freeze call did not say), 2 frozen (ExternalFreeze exited 5).
thaw() {
  [ "$FROZEN" != 0 ] || return 0
  local was=$FROZEN rc=0
  FROZEN=0
  iris_call ${thawTimeoutSeconds} '${thawCall}' || rc=$?
  log "ExternalThaw exit status $rc"
  if [ "$rc" != ${thawSucceeded} ] && [ "$was" = 2 ]; then
    PROBLEMS+=("ExternalThaw exited $rc")
    event Warning ThawFailed "ExternalThaw of $SOURCE exited $rc (${thawSucceeded} means thawed): check the instance at once (IRIS resumes writes at the suspend limit; irisstat -W, Data Integrity Guide, by hand)"
  fi
}

# Marks the set failed (it never counts as a good set), says why, and fails the Job. Once the
# set is complete, a later error fails the Job but leaves the set complete.
fail() {
  # The ERR trap reaches command substitutions too (set -E): only the script itself fails the set.
  [ "$BASHPID" = "$$" ] || exit 1
  thaw
  log "FAILED: $1"
  if [ "$COMPLETE" = 1 ]; then
    event Warning BackupSetProblem "set $SET_ID of $SOURCE is complete, but: $1"
    exit 1
  fi
  local b
  for b in "\${BACKUPS[@]}"; do
    kubectl label -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" --overwrite ${L.state}=failed >/dev/null || true
  done
  event Warning BackupSetFailed "set $SET_ID of $SOURCE failed: $1"
  exit 1
}

on_exit() {
  local rc=$?
  thaw
  [ "\${#PROBLEMS[@]}" = 0 ] || [ "$rc" != 0 ] || rc=1
  exit "$rc"
}
on_term() {
  [ -z "$CHILD" ] || kill "$CHILD" 2>/dev/null || true
  log "terminated"
  exit 143
}
trap on_exit EXIT
trap on_term TERM INT
trap 'fail "command failed at line $LINENO"' ERR

# A valid Kubernetes label value: at most 63 characters, alphanumerics, '-', '_', '.', alphanumeric
# at both ends (apimachinery kubernetes-1.35.0 pkg/api/validate/content/kube.go IsLabelValue).
label_value() { [ "\${#1}" -le 63 ] && [[ "$1" =~ ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$ ]]; }

# 1. The pod to freeze: for a mirror the backup member (the primary keeps serving), else the
#    primary, else the one running data pod. Several running data pods without a mirror role are
#    several data nodes (sharding): one pod's volumes would be a partial set, so refuse.
PODS=$(kubectl get pods -n "$NAMESPACE" -l "$POD_SELECTOR" -o json)
POD=$(jq -r '
  [.items[] | select(.status.phase == "Running")] as $p
  | ($p | map(select(.metadata.labels["intersystems.com/mirrorRole"] == "backup")))
    + ($p | map(select(.metadata.labels["intersystems.com/mirrorRole"] == "primary")))
    + (if ($p | length) == 1 then $p else [] end)
  | .[0].metadata.name // empty' <<<"$PODS")
RUNNING=$(jq '[.items[] | select(.status.phase == "Running")] | length' <<<"$PODS")
[ -n "$POD" ] || fail "no single data pod to freeze: $RUNNING running pods match $POD_SELECTOR, none a mirror member (a set must hold every data node)"

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
  label_value "$claim" || fail "claim name $claim does not fit a label value (63 characters): rename the instance"
done
[ "\${#VOLUMES[@]}" -gt 0 ] || fail "pod $POD has no volumes"
label_value "$SOURCE" || fail "$SOURCE does not fit a label value (63 characters)"
log "pod $POD, volumes: \${CLAIMS[*]}"

labels() { # claim [journal]
  jq -n --arg set "$SET_ID" --arg src "$SOURCE" --arg n "\${#VOLUMES[@]}" --arg claim "$1" --arg j "\${2:-}" \\
    '{"${L.set}": $set, "${L.instance}": $src, "${L.size}": $n, "${L.claim}": $claim}
     + (if $j == "" then {} else {"${L.journal}": $j} end)'
}

# 3. Freeze with IRIS's own limit (WDSuspendLimit = FREEZE_TIMEOUT), read the journal file the
#    freeze switched to, snapshot every volume, wait until all are ready, confirm IRIS was frozen
#    throughout, thaw.
FREEZE_START=$(date +%s)
FROZEN=1
rc=0
iris_call "$FREEZE_TIMEOUT" "${freezeCall("$SET_ID", "$FREEZE_TIMEOUT").replace(/"/g, '\\"')}" || rc=$?
[ "$rc" = ${freezeSucceeded} ] || fail "ExternalFreeze exited $rc (${freezeSucceeded} means frozen)"
FROZEN=2
iris_query '${queries.journal.code}' ${queries.journal.tag} JOURNAL_PATH
JOURNAL="\${JOURNAL_PATH##*/}"
if [ -z "$JOURNAL" ] || ! label_value "$JOURNAL"; then
  log "journal position not recorded: '\${JOURNAL_PATH}'"
  event Warning JournalNotRecorded "set $SET_ID of $SOURCE: the journal file at the freeze could not be recorded ('\${JOURNAL_PATH}'); find it in the journal history (reason: backup)"
  JOURNAL=""
fi
SNAPSHOTS=()
for i in "\${!VOLUMES[@]}"; do
  name="\${VOLUMES[$i]}-\${SET_ID,,}"
  # Snapshot: spec.volume (required), spec.createSnapshot, spec.labels; labels free of '='
  # (longhorn-manager v1.12.1 k8s/pkg/apis/longhorn/v1beta2/snapshot.go SnapshotSpec;
  # webhook/resources/snapshot/validator.go Create; util/util.go VerifySnapshotLabels).
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
  # status.readyToUse (snapshot.go SnapshotStatus); kubectl wait gets, lists and watches the
  # object (kubernetes/kubectl kubernetes-1.35.0 pkg/cmd/wait/condition.go getObjAndCheckCondition).
  bg kubectl wait -n "$LONGHORN_NAMESPACE" snapshots.longhorn.io "$s" \\
    --for=jsonpath='{.status.readyToUse}'=true --timeout="\${left}s" >/dev/null ||
    fail "snapshot $s not ready within the \${FREEZE_TIMEOUT}s freeze window"
done
iris_query '${queries.suspended.code}' ${queries.suspended.tag} SUSPENDED
[ "$SUSPENDED" = 1 ] ||
  fail "IRIS did not stay frozen until every snapshot was taken (IsWDSuspended: '\${SUSPENDED}'); the snapshots are not consistent"
thaw
log "frozen for $(( $(date +%s) - FREEZE_START ))s; journal at freeze: \${JOURNAL:-unknown}"

# 4. Back up each snapshot; the set is good only when every backup is Completed. Longhorn's
#    mutator sets the labels backup-volume (from the snapshot) and backup-target (from the
#    volume), which its validator then requires to match; an unset backupMode becomes
#    incremental (longhorn-manager v1.12.1 webhook/resources/backup/mutator.go Create,
#    validator.go Create; k8s/pkg/apis/longhorn/v1beta2/backup.go BackupSpec).
for i in "\${!SNAPSHOTS[@]}"; do
  jq -n --arg name "\${SNAPSHOTS[$i]}" --arg ns "$LONGHORN_NAMESPACE" \\
    --argjson labels "$(labels "\${CLAIMS[$i]}" "$JOURNAL")" \\
    '{apiVersion: "longhorn.io/v1beta2", kind: "Backup",
      metadata: {name: $name, namespace: $ns, labels: $labels},
      spec: {snapshotName: $name, labels: $labels, backupMode: "incremental"}}' | kubectl create -f - >/dev/null ||
    fail "could not start the backup of \${CLAIMS[$i]}"
  BACKUPS+=("\${SNAPSHOTS[$i]}")
done
DEADLINE=$(( $(date +%s) + BACKUP_TIMEOUT ))
for b in "\${BACKUPS[@]}"; do
  while :; do
    # Final states Completed, Error, Unknown, and Deleting (someone deleted it: it never completes)
    # (backup.go BackupState).
    state=$(kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" -o jsonpath='{.status.state}')
    [ "$state" = Completed ] && break
    case "$state" in Error | Unknown | Deleting)
      fail "backup $b: $state $(kubectl get -n "$LONGHORN_NAMESPACE" backups.longhorn.io "$b" -o jsonpath='{.status.error}')" ;;
    esac
    [ "$(date +%s)" -lt "$DEADLINE" ] || fail "backup $b not Completed within \${BACKUP_TIMEOUT}s (state \${state:-none})"
    bg sleep 5
  done
done
COMPLETE=1
event Normal BackupSetCompleted "set $SET_ID of $SOURCE: \${#BACKUPS[@]} volumes, journal \${JOURNAL:-unknown}"

# 5. Prune; a failure here fails the Job but never the complete set.
${renderPrune(L)}
if ! prune; then
  PROBLEMS+=("pruning failed")
  event Warning BackupPruneFailed "set $SET_ID of $SOURCE is complete, but older sets could not be pruned: the backup target keeps growing"
fi
if [ "\${#PROBLEMS[@]}" -gt 0 ]; then
  log "complete, with problems: \${PROBLEMS[*]}"
  exit 1
fi
log "complete"
`;
}
