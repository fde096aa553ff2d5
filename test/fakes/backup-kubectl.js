#!/usr/bin/env node
// A fake kubectl for the backup-set script tests (test/backup-set.test.ts). Its world is
// $FAKE_DIR/world.json, written by test/fakes/backup-world.ts: the RBAC rules of the Job's Roles,
// the admission rules (test/fakes/longhorn-rules.ts), the IRIS methods InterSystems documents
// (test/fakes/iris-methods.ts), pods, claims, volumes and the Longhorn objects. Every call is
// appended to $FAKE_DIR/calls. A call the Roles do not allow, an object upstream would refuse
// and an undocumented IRIS method fail as the real ones would, with a line the tests look for.
"use strict";
const fs = require("fs");
const path = require("path");
const { setTimeout } = require("timers");
const { iris } = require("./fake-iris");

const dir = process.env.FAKE_DIR;
const worldFile = path.join(dir, "world.json");
const w = JSON.parse(fs.readFileSync(worldFile, "utf8"));
const args = process.argv.slice(2);
const note = (line) => fs.appendFileSync(path.join(dir, "calls"), line + "\n");
const save = () => fs.writeFileSync(worldFile, JSON.stringify(w));
const die = (msg, code = 1) => {
    process.stderr.write(msg + "\n");
    process.exit(code);
};
note("kubectl " + args.join(" "));

// --- arguments -------------------------------------------------------------------------------
const dash = args.indexOf("--");
const own = dash < 0 ? args : args.slice(0, dash);
const flag = (name) => {
    const i = own.indexOf(name);
    if (i >= 0) return own[i + 1];
    const eq = own.find((a) => a.startsWith(name + "="));
    return eq ? eq.slice(name.length + 1) : undefined;
};
const valued = new Set(["-n", "-l", "-o", "-c", "-f"]);
const positional = [];
for (let i = 1; i < own.length; i++) {
    if (valued.has(own[i])) i++;
    else if (!own[i].startsWith("-")) positional.push(own[i]);
}
const verb = args[0];
const ns = flag("-n");

// --- RBAC: the verbs each call needs (see components/iris/backup.ts backupRules) ----------------
const resources = {
    pods: ["", "pods"],
    pod: ["", "pods"],
    pvc: ["", "persistentvolumeclaims"],
    pv: ["", "persistentvolumes"],
    "snapshots.longhorn.io": ["longhorn.io", "snapshots"],
    "backups.longhorn.io": ["longhorn.io", "backups"],
};
const clusterScoped = new Set(["persistentvolumes"]);
function allow(group, resource, v, namespace) {
    const ok = w.rbac.some(
        (r) =>
            (r.namespace === null || r.namespace === namespace) &&
            r.apiGroups.includes(group) &&
            r.resources.includes(resource) &&
            r.verbs.includes(v),
    );
    if (!ok) {
        note(`FORBIDDEN ${v} ${group || "core"}/${resource} in ${namespace ?? "(cluster)"}`);
        die(
            `Error from server (Forbidden): ${resource} is forbidden: User "system:serviceaccount:backup" cannot ${v} resource "${resource}" in API group "${group}"` +
                (clusterScoped.has(resource)
                    ? " at the cluster scope"
                    : ` in the namespace "${namespace}"`),
        );
    }
}

// --- admission -------------------------------------------------------------------------------
const R = w.rules;
const matches = (rule, v) =>
    (rule.maxLength === undefined || v.length <= rule.maxLength) &&
    new RegExp(rule.pattern).test(v);
function refuse(kind, why) {
    note(`REFUSED ${kind}: ${why}`);
    die(`Error from server (BadRequest): admission refused ${kind}: ${why}`);
}
function checkLabels(kind, labels) {
    for (const [k, v] of Object.entries(labels ?? {})) {
        const parts = k.split("/");
        if (parts.length > 2 || !matches(R.labelKeyName, parts[parts.length - 1]))
            refuse(kind, `label key ${k} (${R.labelKeyName.source})`);
        if (!matches(R.labelValue, v))
            refuse(kind, `label ${k} value "${v}" (${R.labelValue.source})`);
    }
}
const selected = (labels, selector) =>
    (selector ?? "")
        .split(",")
        .filter(Boolean)
        .every((term) => {
            const [k, v] = term.split("=");
            return (labels ?? {})[k] === v;
        });

function createSnapshot(o) {
    checkLabels("Snapshot", o.metadata.labels);
    for (const m of [o.metadata.labels, o.spec.labels])
        for (const [k, v] of Object.entries(m ?? {}))
            if (k.includes("=") || v.includes("="))
                refuse("Snapshot", `labels cannot contain '=' (${R.snapshotLabels.source})`);
    if (!o.spec.volume) refuse("Snapshot", `spec.volume is required (${R.snapshotVolume.source})`);
    if (!w.volumes[o.spec.volume])
        refuse("Snapshot", `no volume ${o.spec.volume} (${R.snapshotVolume.source})`);
    if (w.snapshots.some((s) => s.metadata.name === o.metadata.name))
        die(
            `Error from server (AlreadyExists): snapshots.longhorn.io "${o.metadata.name}" already exists`,
        );
    if (w.behaviour.snapshotCreateFails) die("Error from server: snapshot creation failed");
    o.metadata.labels = { ...o.metadata.labels, longhornvolume: o.spec.volume };
    o.status = { readyToUse: !w.behaviour.snapshotNeverReady };
    w.snapshots.push(o);
}

function createBackup(o) {
    const labels = { ...(o.metadata.labels ?? {}) };
    checkLabels("Backup", labels);
    const snap = w.snapshots.find((s) => s.metadata.name === o.spec.snapshotName);
    // Mutator: fill backup-volume, backup-target and backupMode.
    if (!labels["backup-volume"]) {
        if (!snap)
            refuse("Backup", `snapshot ${o.spec.snapshotName} not found (${R.backup.source})`);
        labels["backup-volume"] = snap.spec.volume;
    }
    const volume = w.volumes[labels["backup-volume"]];
    if (!labels["backup-target"]) {
        if (!volume)
            refuse("Backup", `volume ${labels["backup-volume"]} not found (${R.backup.source})`);
        labels["backup-target"] = volume.backupTargetName;
    }
    const mode = o.spec.backupMode || "incremental";
    // Validator.
    if (!matches(R.backupName, o.metadata.name))
        refuse("Backup", `invalid name ${o.metadata.name} (${R.backupName.source})`);
    if (mode !== "full" && mode !== "incremental")
        refuse("Backup", `BackupMode ${mode} is not a valid option (${R.backup.source})`);
    const target = w.backupTargets[labels["backup-target"]];
    if (!target || !target.available)
        refuse(
            "Backup",
            `backup target ${labels["backup-target"]} is not available (${R.backup.source})`,
        );
    if (!snap) refuse("Backup", `snapshot ${o.spec.snapshotName} is invalid (${R.backup.source})`);
    if (labels["backup-volume"] !== snap.spec.volume)
        refuse(
            "Backup",
            `snapshot volume name and label volume name do not match (${R.backup.source})`,
        );
    if (w.volumes[snap.spec.volume].backupTargetName !== labels["backup-target"])
        refuse(
            "Backup",
            `volume backup target and label backup target do not match (${R.backup.source})`,
        );
    // The backup itself: incremental only from a last backup whose snapshot still exists.
    const vol = snap.spec.volume;
    const last = w.lastBackup[vol];
    const base =
        mode === "incremental" && last && w.snapshots.some((s) => s.metadata.name === last.snapshot)
            ? last.snapshot
            : undefined;
    note(`backup ${o.metadata.name} of ${vol}: ${base ? "incremental from " + base : "full"}`);
    const state = w.behaviour.backupState ?? "Completed";
    if (state === "Completed")
        w.lastBackup[vol] = { name: o.metadata.name, snapshot: snap.metadata.name };
    w.backups.push({
        ...o,
        metadata: { ...o.metadata, labels },
        spec: { ...o.spec, backupMode: mode },
        status: { state, error: state === "Error" ? "target unreachable" : "" },
    });
}

// --- commands --------------------------------------------------------------------------------
function jsonpath(obj, expr) {
    const p = /^\{\.(.*)\}$/.exec(expr)[1].split(".");
    const v = p.reduce((o, k) => (o == null ? undefined : o[k]), obj);
    return v === undefined ? "" : String(v);
}
function get() {
    const [kind, name] = positional;
    const [group, resource] = resources[kind] ?? die(`fake kubectl: unhandled get ${kind}`, 2);
    const namespace = clusterScoped.has(resource) ? undefined : ns;
    allow(group, resource, name ? "get" : "list", namespace);
    const out = flag("-o");
    const lists = {
        pods: w.pods,
        snapshots: w.snapshots,
        backups: w.backups,
    };
    let obj;
    if (resource === "persistentvolumeclaims") obj = { spec: { volumeName: w.pvcs[name] } };
    else if (resource === "persistentvolumes") obj = w.pvs[name];
    else if (!name) {
        const items = lists[resource].filter((o) => selected(o.metadata.labels, flag("-l")));
        return process.stdout.write(JSON.stringify({ items }));
    } else obj = lists[resource].find((o) => o.metadata.name === name);
    if (!obj) die(`Error from server (NotFound): ${resource} "${name}" not found`);
    process.stdout.write(
        out === "json" ? JSON.stringify(obj) : jsonpath(obj, out.replace(/^jsonpath=/, "")),
    );
}

async function main() {
    switch (verb) {
        case "get":
            return get();
        case "exec": {
            // kubectl gets the pod, then posts to pods/exec (kubernetes/kubectl kubernetes-1.35.0
            // pkg/cmd/exec/exec.go: PodClient.Pods().Get, SubResource("exec")).
            allow("", "pods", "get", ns);
            allow("", "pods/exec", "create", ns);
            if (!w.pods.some((p) => p.metadata.name === positional[0]))
                die(`Error from server (NotFound): pods "${positional[0]}" not found`);
            return iris(args.slice(dash + 1), { w, note, die, save, pod: positional[0] });
        }
        case "create": {
            const o = JSON.parse(fs.readFileSync(0, "utf8"));
            const [group, resource] =
                {
                    Event: ["", "events"],
                    Snapshot: ["longhorn.io", "snapshots"],
                    Backup: ["longhorn.io", "backups"],
                }[o.kind] ?? die(`fake kubectl: unhandled create ${o.kind}`, 2);
            allow(group, resource, "create", o.metadata.namespace);
            if (o.kind === "Event") note(`event ${o.type} ${o.reason}: ${o.message}`);
            else if (o.kind === "Snapshot") createSnapshot(o);
            else createBackup(o);
            note(`created ${o.kind} ${o.metadata.name ?? o.reason}`);
            return save();
        }
        case "wait": {
            const [kind, name] = positional;
            const [group, resource] = resources[kind];
            // Get, then list and watch by name (pkg/cmd/wait/condition.go getObjAndCheckCondition).
            for (const v of ["get", "list", "watch"]) allow(group, resource, v, ns);
            if (w.behaviour.waitHangs) return new Promise(() => setTimeout(() => {}, 60000));
            const s = w.snapshots.find((x) => x.metadata.name === name);
            if (!s || !s.status.readyToUse)
                die(`error: timed out waiting for the condition on ${kind}/${name}`);
            return;
        }
        case "label": {
            const [kind, name, pair] = positional;
            const [group, resource] = resources[kind];
            // The builder gets the object, then a merge patch (pkg/cmd/label/label.go).
            allow(group, resource, "get", ns);
            allow(group, resource, "patch", ns);
            const o = w.backups.find((x) => x.metadata.name === name);
            if (!o) die(`Error from server (NotFound): ${resource} "${name}" not found`);
            const [k, v] = pair.split("=");
            checkLabels("Backup", { [k]: v });
            o.metadata.labels[k] = v;
            return save();
        }
        case "delete": {
            const [kind, name] = positional;
            const [group, resource] = resources[kind];
            allow(group, resource, "delete", ns);
            if (w.behaviour.deleteFails)
                die(`Error from server (InternalError): deleting ${name} failed`);
            const list = resource === "snapshots" ? w.snapshots : w.backups;
            const i = list.findIndex((x) => x.metadata.name === name);
            if (i < 0) die(`Error from server (NotFound): ${resource} "${name}" not found`);
            list.splice(i, 1);
            note(`deleted ${resource} ${name}`);
            return save();
        }
        default:
            die(`fake kubectl: unhandled ${args.join(" ")}`, 2);
    }
}
main().catch((e) => die(String(e), 2));
