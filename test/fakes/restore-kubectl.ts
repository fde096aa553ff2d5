/**
 * A fake kubectl for the restore script: answers exactly the calls the script makes, from files in
 * $FAKE_DIR, and runs Longhorn v1.12.1's Volume admission (longhorn-admission.ts, as jq) on every
 * Volume it is asked to create — a Volume Longhorn would refuse is refused here, with the rule's
 * source. Anything it does not know fails loudly (exit 2).
 *
 *   $FAKE_DIR/backups.json       Backup CRs that exist ({"items": [...]})
 *   $FAKE_DIR/storageclass.json  the StorageClass the script reads (absent: NotFound)
 *   FAKE_EXISTING                claims ("ns/name"), PVs ("pv/name") and Volumes ("volume/name")
 *                                that already exist, space-separated
 *   FAKE_POLLS_UNTIL_RESTORED    polls of a Volume before it reports restored (default 1)
 *
 * Every call is appended to $FAKE_DIR/calls; every object created to $FAKE_DIR/created.jsonl.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { admissionJq } from "./longhorn-admission";

export function fakeKubectl(): string {
    return `#!/usr/bin/env bash
set -euo pipefail
dir="\${FAKE_DIR:?}"
echo "kubectl $*" >>"$dir/calls"
args=" $* "
exists() { [[ " \${FAKE_EXISTING:-} " == *" $1 "* ]] || grep -qx "$1" "$dir/made" 2>/dev/null; }
case "$1" in
create)
  body=$(cat)
  kind=$(jq -r .kind <<<"$body")
  name=$(jq -r '.metadata.name // .reason' <<<"$body")
  if [ "$kind" = Volume ]; then
    refused=$(jq -r --argjson backups "$(jq '[.items[].metadata.name]' "$dir/backups.json")" \\
      -f "$dir/admission.jq" <<<"$body")
    if [ -n "$refused" ]; then
      echo "refused Volume $name: $refused" >>"$dir/calls"
      echo "Error from server (BadRequest): admission webhook denied the request: $refused" >&2
      exit 1
    fi
  fi
  echo "created $kind $name" >>"$dir/calls"
  jq -c . <<<"$body" >>"$dir/created.jsonl"
  case "$kind" in
  Volume) echo "volume/$name" >>"$dir/made" ;;
  PersistentVolume) echo "pv/$name" >>"$dir/made" ;;
  PersistentVolumeClaim) echo "$(jq -r .metadata.namespace <<<"$body")/$name" >>"$dir/made" ;;
  Event) echo "event $(jq -r '.type + " " + .reason + ": " + .message' <<<"$body")" >>"$dir/calls" ;;
  esac
  ;;
get)
  case "$args" in
  " get -n "*" backups.longhorn.io -o json ") cat "$dir/backups.json" ;;
  " get storageclass "*" -o json ")
    [ -f "$dir/storageclass.json" ] && cat "$dir/storageclass.json" ||
      { echo "Error from server (NotFound): storageclasses.storage.k8s.io \\"$3\\" not found" >&2; exit 1; } ;;
  " get pvc -n "*) exists "$4/$5" ;;
  " get pv "*) exists "pv/$3" ;;
  " get -n "*" volumes.longhorn.io "*" -o jsonpath="*)
    vol=$5
    exists "volume/$vol" || { echo "Error from server (NotFound): volumes.longhorn.io \\"$vol\\" not found" >&2; exit 1; }
    polls=$(( $(cat "$dir/polls-$vol" 2>/dev/null || echo 0) + 1 ))
    echo "$polls" >"$dir/polls-$vol"
    if [ "$polls" -gt "\${FAKE_POLLS_UNTIL_RESTORED:-1}" ]; then echo "true/false/detached"; else echo "true/true/attached"; fi ;;
  " get -n "*" volumes.longhorn.io "*) exists "volume/$5" ;;
  *) echo "fake kubectl: unhandled get: $*" >&2; exit 2 ;;
  esac
  ;;
*) echo "fake kubectl: unhandled: $*" >&2; exit 2 ;;
esac
`;
}

export interface RestoreRun {
    readonly status: number | null;
    readonly calls: string[];
    /** Objects the script created, in order. */
    readonly created: Record<string, unknown>[];
    readonly stderr: string;
    readonly stdout: string;
}

/** Runs `script` with the fake first on PATH. */
export function runWithFake(
    script: string,
    env: Record<string, string>,
    state: { backups: unknown[]; storageClass?: unknown },
): RestoreRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iris-restore-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "kubectl"), fakeKubectl(), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "admission.jq"), admissionJq());
    fs.writeFileSync(path.join(dir, "backups.json"), JSON.stringify({ items: state.backups }));
    if (state.storageClass)
        fs.writeFileSync(path.join(dir, "storageclass.json"), JSON.stringify(state.storageClass));
    fs.writeFileSync(path.join(dir, "script.sh"), script);
    fs.writeFileSync(path.join(dir, "calls"), "");
    const r = spawnSync("bash", [path.join(dir, "script.sh")], {
        env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`, FAKE_DIR: dir, ...env },
        encoding: "utf8",
        timeout: 60_000,
    });
    const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    const createdFile = path.join(dir, "created.jsonl");
    const created = fs.existsSync(createdFile)
        ? fs
              .readFileSync(createdFile, "utf8")
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: r.status, calls, created, stderr: r.stderr, stdout: r.stdout };
}
