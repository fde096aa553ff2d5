/**
 * A set taken from a mirror member holds that member's mirror configuration (its durable %SYS
 * `iris.cpf`): restored as is, IRIS starts as a mirror member — mirrored databases stay read-only
 * until it becomes primary, and its ISCAgent and mirror traffic look for the live mirror.
 *
 * The step here runs before IRIS serves: a shell step (the IRIS image's own sh/awk) reads the
 * mirror names from the restored `iris.cpf` and writes a configuration merge file with one
 * `[Actions] DeleteMirror:Name=<name>` per mirror, which IRIS applies at start-up through
 * `ISC_CPF_MERGE_FILE` (or IKO's `data.cpf`). No mirror: an empty merge file, nothing changes.
 *
 * Sources (InterSystems documentation):
 * - `[Mirrors]` holds one `Name=a,b,…` entry per mirror this instance belongs to
 *   (Configuration Parameter File Reference, "[Mirrors]": RACS_mirrors_n).
 * - `[Actions] DeleteMirror:Name=MirrorName` deletes a mirror configuration during a merge by
 *   running Config.Mirrors.Delete() (same reference, "DeleteMirror": RACS_deletemirror).
 * - A merge file named by ISC_CPF_MERGE_FILE is applied as the instance starts (Automating
 *   Configuration with Configuration Merge, GCMF / RACS_cpf_edit_merge).
 * - The full removal of a member's mirror configuration is the Management Portal's "Remove
 *   Mirror Configuration", ^MIRROR, or SYS.Mirror.RemoveMirrorConfiguration(), all on a running
 *   instance, followed by a restart (High Availability Guide, GHA_mirror_set_configmembers_edit_async).
 * Unconfirmed without a real mirrored IRIS: that DeleteMirror alone leaves a standalone instance
 * whose formerly mirrored databases are writable (docs/backup.md says what to check).
 */

/** The merge file the step writes next to the restored `iris.cpf`'s volume. */
export const demirrorMergeFile = "iris-platform-demirror.cpf";

/** Merge text deleting each named mirror (empty when there is none). */
export function demirrorMerge(mirrorNames: readonly string[]): string {
    if (mirrorNames.length === 0) return "";
    return `[Actions]\n${mirrorNames.map((n) => `DeleteMirror:Name=${n}`).join("\n")}\n`;
}

/**
 * POSIX sh: prints the names in the `[Mirrors]` section of every `iris.cpf` under `$1` (the
 * restored volume's mount), one per line. Section and key syntax: RACS_mirrors_n.
 */
export const mirrorNamesScript = `find "$1" -maxdepth 4 -name iris.cpf -type f 2>/dev/null | while read -r cpf; do
  awk '/^\\[/{s=($0=="[Mirrors]")} s && /^[A-Za-z0-9]+=/{sub(/=.*/,""); print}' "$cpf"
done | sort -u`;

/**
 * POSIX sh for an init step: writes `$1/iris-platform-demirror.cpf` with a DeleteMirror action
 * per mirror found under `$1`, and says what it did.
 */
export const demirrorScript = `set -eu
names=$(sh -c '${mirrorNamesScript.replace(/'/g, `'\\''`)}' sh "$1")
out="$1/${demirrorMergeFile}"
: >"$out"
if [ -n "$names" ]; then
  printf '[Actions]\\n' >"$out"
  for n in $names; do printf 'DeleteMirror:Name=%s\\n' "$n" >>"$out"; echo "iris-platform: removing mirror $n before IRIS starts"; done
else
  echo "iris-platform: no mirror configuration in the restored instance"
fi`;
