/**
 * Longhorn v1.12.1's admission of a `Volume` create, as far as it applies to what the restore
 * script makes (a Volume `fromBackup`), read from longhorn-manager at tag v1.12.1. Every rule
 * names its source line. The rules exist twice — as a TypeScript check (the integration tier's
 * stand-in Longhorn manager) and as a jq program (the fake kubectl of the script tests); a unit
 * test runs both over the same cases so they cannot drift. A spec field this table does not know
 * is refused: the fake accepts only what was read upstream.
 *
 * LM = github.com/longhorn/longhorn-manager @ v1.12.1.
 */

/** A Volume as the restore script posts it. */
export interface VolumeObject {
    readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
    readonly spec: Record<string, unknown>;
}

/** One admission rule: `check` returns why the object is refused, or undefined. */
export interface AdmissionRule {
    readonly id: string;
    readonly source: string;
    readonly check: (v: VolumeObject, backups: readonly string[]) => string | undefined;
    /** The same rule for jq: `$backups` is the array of Backup names; yields the reason or empty. */
    readonly jq: string;
}

/** LM datastore/longhorn.go:44 `NameMaximumLength = 40`. */
export const volumeNameMaxLength = 40;

// `volume=`/`backup=` of a backup URL (LM vendor/github.com/longhorn/backupstore/backupstore.go:147).
function query(url: string, key: string): string | undefined {
    const m = new RegExp(`[?&]${key}=([^&]*)`).exec(url);
    return m ? decodeURIComponent(m[1]) : undefined;
}
const backupstoreName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const str = (x: unknown): string => (typeof x === "string" ? x : "");

/** Spec fields the restore may set, each a json tag of LM k8s/pkg/apis/longhorn/v1beta2/volume.go. */
export const knownSpecFields: Readonly<Record<string, string>> = {
    size: 'volume.go:307 `json:"size,string"` (bytes as a string)',
    frontend: "volume.go:309",
    fromBackup: "volume.go:317",
    dataLocality: "volume.go:325",
    staleReplicaTimeout: "volume.go:327 (minutes, int)",
    accessMode: "volume.go:366",
    numberOfReplicas: "volume.go:373",
    dataEngine: "volume.go:389",
};

export const volumeAdmission: readonly AdmissionRule[] = [
    {
        id: "name-length",
        source: "LM datastore/longhorn.go:1285 CheckVolume (from webhook/resources/volume/validator.go:207); the mutator (mutator.go:95 util.AutoCorrectName, util/util.go:389) first rewrites a longer name to 31 characters + '-' + 8 of its sha512, so the Volume would not exist under the name asked for",
        check: (v) =>
            v.metadata.name.length > volumeNameMaxLength
                ? `volume name ${v.metadata.name} is ${v.metadata.name.length} characters; Longhorn allows ${volumeNameMaxLength}`
                : undefined,
        jq: `if (.metadata.name | length) > ${volumeNameMaxLength} then "volume name \\(.metadata.name) is \\(.metadata.name | length) characters; Longhorn allows ${volumeNameMaxLength}" else empty end`,
    },
    {
        id: "name-pattern",
        source: "LM webhook/resources/volume/validator.go:64 util.ValidateName (util/util.go:293 ^[a-z0-9][a-z0-9_.-]+$) and datastore/longhorn.go:1281 validation.IsDNS1123Label",
        check: (v) =>
            /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.metadata.name) && v.metadata.name.length >= 2
                ? undefined
                : `invalid volume name ${v.metadata.name}`,
        jq: `if (.metadata.name | test("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")) and (.metadata.name | length) >= 2 then empty else "invalid volume name \\(.metadata.name)" end`,
    },
    {
        id: "known-fields",
        source: "the fields read in LM k8s/pkg/apis/longhorn/v1beta2/volume.go (knownSpecFields); anything else is unknown to this fake",
        check: (v) => {
            const unknown = Object.keys(v.spec).filter((k) => !(k in knownSpecFields));
            return unknown.length
                ? `spec fields unknown to the fake: ${unknown.join(",")}`
                : undefined;
        },
        jq: `(.spec | keys - ${JSON.stringify(Object.keys(knownSpecFields))}) as $u | if ($u | length) > 0 then "spec fields unknown to the fake: \\($u | join(","))" else empty end`,
    },
    {
        id: "size",
        source: 'LM volume.go:307 `json:"size,string"`: a string of bytes',
        check: (v) =>
            /^[0-9]+$/.test(str(v.spec.size))
                ? undefined
                : `spec.size ${String(v.spec.size)} is not a byte count string`,
        jq: `if (.spec.size | type) == "string" and (.spec.size | test("^[0-9]+$")) then empty else "spec.size \\(.spec.size) is not a byte count string" end`,
    },
    {
        id: "fromBackup-url",
        source: "LM webhook/resources/volume/mutator.go:160 backupstore.DecodeBackupURL (vendor/github.com/longhorn/backupstore/backupstore.go:147-160): `volume=` and `backup=` query values match ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$ (backupstore util/util.go:218)",
        check: (v) => {
            const url = str(v.spec.fromBackup);
            const vol = query(url, "volume");
            const b = query(url, "backup");
            return vol && b && backupstoreName.test(vol) && backupstoreName.test(b)
                ? undefined
                : `spec.fromBackup ${url} lacks a valid backup= and volume=`;
        },
        jq: `(.spec.fromBackup // "") as $u | (($u | capture("[?&]volume=(?<x>[^&]*)") | .x) // "") as $vol | (($u | capture("[?&]backup=(?<x>[^&]*)") | .x) // "") as $b | if ($vol | test("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")) and ($b | test("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")) then empty else "spec.fromBackup \\($u) lacks a valid backup= and volume=" end`,
    },
    {
        id: "fromBackup-exists",
        source: "LM webhook/resources/volume/mutator.go:165 ds.GetBackupRO(bName): the Backup CR named by backup= must exist in Longhorn's namespace",
        check: (v, backups) => {
            const b = query(str(v.spec.fromBackup), "backup");
            return b !== undefined && backups.includes(b)
                ? undefined
                : `cannot get backup ${String(b)}`;
        },
        jq: `(((.spec.fromBackup // "") | capture("[?&]backup=(?<x>[^&]*)") | .x) // "") as $b | if ($backups | index($b)) != null then empty else "cannot get backup \\($b)" end`,
    },
    {
        id: "dataLocality",
        source: "LM validator.go:68 → types/types.go:1074 ValidateDataLocality: disabled | best-effort | strict-local",
        check: (v) =>
            ["disabled", "best-effort", "strict-local"].includes(str(v.spec.dataLocality))
                ? undefined
                : `invalid data locality mode: ${String(v.spec.dataLocality)}`,
        jq: `if ["disabled","best-effort","strict-local"] | index($v.spec.dataLocality // "") then empty else "invalid data locality mode: \\(.spec.dataLocality)" end`,
    },
    {
        id: "accessMode",
        source: "LM validator.go:72 → types/types.go:1081 ValidateAccessMode: rwo | rwop | rwx",
        check: (v) =>
            ["rwo", "rwop", "rwx"].includes(str(v.spec.accessMode))
                ? undefined
                : `invalid access mode: ${String(v.spec.accessMode)}`,
        jq: `if ["rwo","rwop","rwx"] | index($v.spec.accessMode // "") then empty else "invalid access mode: \\(.spec.accessMode)" end`,
    },
    {
        id: "numberOfReplicas",
        source: "LM validator.go:76 validateReplicaCount (validator.go:728) → types/types.go:1008 with types/setting.go:834-836 (1..20); strict-local needs 1 (types.go:1048)",
        check: (v) => {
            const n = v.spec.numberOfReplicas;
            if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 20)
                return `replica count value ${String(n)} must between 1 to 20`;
            return v.spec.dataLocality === "strict-local" && n !== 1
                ? "number of replica count should be 1 when data locality is strict-local"
                : undefined;
        },
        jq: `.spec.numberOfReplicas as $n | if ($n | type) != "number" or $n < 1 or $n > 20 or ($n | floor) != $n then "replica count value \\($n) must between 1 to 20" elif .spec.dataLocality == "strict-local" and $n != 1 then "number of replica count should be 1 when data locality is strict-local" else empty end`,
    },
    {
        id: "staleReplicaTimeout",
        source: 'LM volume.go:327 `json:"staleReplicaTimeout"` int (minutes)',
        check: (v) =>
            Number.isInteger(v.spec.staleReplicaTimeout) && Number(v.spec.staleReplicaTimeout) > 0
                ? undefined
                : `spec.staleReplicaTimeout ${String(v.spec.staleReplicaTimeout)} is not a positive integer`,
        jq: `if (.spec.staleReplicaTimeout | type) == "number" and .spec.staleReplicaTimeout > 0 and (.spec.staleReplicaTimeout | floor) == .spec.staleReplicaTimeout then empty else "spec.staleReplicaTimeout \\(.spec.staleReplicaTimeout) is not a positive integer" end`,
    },
    {
        id: "frontend",
        source: "LM validator.go:169-173: a v1 data engine volume's frontend is blockdev or iscsi (dataEngine v1: volume.go:389, types v1)",
        check: (v) =>
            v.spec.dataEngine === "v1" && ["blockdev", "iscsi"].includes(str(v.spec.frontend))
                ? undefined
                : `invalid volume frontend specified: ${String(v.spec.frontend)} for data engine ${String(v.spec.dataEngine)}`,
        jq: `if .spec.dataEngine == "v1" and (["blockdev","iscsi"] | index($v.spec.frontend // "")) then empty else "invalid volume frontend specified: \\(.spec.frontend) for data engine \\(.spec.dataEngine)" end`,
    },
    {
        id: "labels",
        source: "kube-apiserver metadata validation: k8s.io/apimachinery pkg/util/validation IsQualifiedName (prefix a DNS subdomain ≤253, name ≤63) and IsValidLabelValue (≤63)",
        check: (v) => {
            for (const [k, val] of Object.entries(v.metadata.labels ?? {})) {
                const [prefix, name] = k.includes("/") ? k.split("/", 2) : [undefined, k];
                const keyOk =
                    name.length <= 63 &&
                    labelName.test(name) &&
                    (prefix === undefined || (prefix.length <= 253 && dnsSubdomain.test(prefix)));
                if (!keyOk || val.length > 63 || !labelValue.test(val))
                    return `invalid label ${k}=${val}`;
            }
            return undefined;
        },
        jq: `(.metadata.labels // {}) | to_entries | map(select(((.key | split("/")) as $p | ($p | last) as $n | ($p | length) > 2 or ($n | length) > 63 or ($n | test("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$") | not) or (($p | length) == 2 and (($p[0] | length) > 253 or ($p[0] | test("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$") | not)))) or (.value | length) > 63 or (.value | test("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$") | not))) | if length > 0 then "invalid label \\(.[0].key)=\\(.[0].value)" else empty end`,
    },
];

/** Every reason the Volume is refused (empty: admitted). */
export function admitVolume(v: VolumeObject, backups: readonly string[]): string[] {
    return volumeAdmission.flatMap((r) => {
        const why = r.check(v, backups);
        return why ? [`${why} [${r.id}: ${r.source}]`] : [];
    });
}

/**
 * The table as one jq program over a Volume (`--argjson backups`): prints each refusal on its
 * own line, nothing when admitted.
 */
export function admissionJq(): string {
    return `. as $v | ${volumeAdmission.map((r) => `(${r.jq} | "\\(.) [${r.id}]")`).join(", ")}`;
}
