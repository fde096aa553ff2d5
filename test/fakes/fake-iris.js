// The fake `iris session` behind the fake kubectl's `exec` (test/fakes/backup-kubectl.js): it
// answers only the methods in test/fakes/iris-methods.ts (InterSystems' documentation), with
// their documented results, and marks anything else UNDOCUMENTED. State lives in the world's
// `iris` (frozen, write daemon suspended, journal file); `behaviour` makes calls fail or hang.
"use strict";
const fs = require("fs");
const { setTimeout } = require("timers");

// --- IRIS ------------------------------------------------------------------------------------
function iris(session, { w, note, die, save, pod }) {
    const [cmd, sub, instance, ns2, call] = session;
    if (cmd !== "iris" || sub !== "session" || instance !== "IRIS" || ns2 !== "-U%SYS")
        die(`fake iris: unexpected command ${session.join(" ")}`, 127);
    const method = (text) => {
        const m = /##class\(([%\w.]+)\)\.(\w+)\((.*)\)/i.exec(text);
        if (!m) return undefined;
        const name = `${m[1]}.${m[2]}`;
        const argList = m[3] === "" ? [] : m[3].split(",");
        const doc = w.irisMethods[name];
        if (!doc || argList.length > doc.maxArgs) {
            note(`UNDOCUMENTED iris method ${name}(${m[3]})`);
            return {
                name,
                error: doc ? "<PARAMETER>" : `<METHOD DOES NOT EXIST> *${m[2]},${m[1]}`,
            };
        }
        return { name, doc, argList };
    };
    const s = w.iris;
    if (call !== undefined) {
        const m = method(call);
        if (!m || m.error) die(m ? m.error : `fake iris: not a class method call: ${call}`, 1);
        note(`iris ${m.name}(${m.argList.join(",")})`);
        if (m.name === "Backup.General.ExternalFreeze") {
            if (w.behaviour.freezeHangs) return new Promise(() => setTimeout(() => {}, 60000));
            if (w.behaviour.freezeFails) process.exit(m.doc.failure);
            s.freezeArgs = m.argList;
            s.frozen = true;
            s.wdSuspended = !w.behaviour.wdResumedEarly;
            if ((m.argList[2] ?? "1") !== "0") s.journal += 1;
            save();
            process.exit(m.doc.success);
        }
        if (m.name === "Backup.General.ExternalThaw") {
            if (w.behaviour.thawFails) process.exit(m.doc.failure);
            s.frozen = false;
            s.wdSuspended = false;
            save();
            process.exit(m.doc.success);
        }
        die(`fake iris: ${m.name} answers by value, not exit status`);
    }
    // Standard input: write commands; the terminal shows a banner and prompts around the output.
    const input = fs.readFileSync(0, "utf8");
    let out = `\nNode: ${pod}, Instance: IRIS\n\n%SYS>`;
    for (const line of input.split("\n").filter((l) => l.trim())) {
        const m = method(line);
        const tag = /write "(\w+=)"/.exec(line);
        if (!m) out += "\n<SYNTAX>\n%SYS>";
        else if (m.error) out += `\n${m.error}\n%SYS>`;
        else {
            note(`iris ${m.name}()`);
            const value =
                m.name === "%SYS.Journal.System.GetCurrentFileName"
                    ? `${s.journalDir}/${s.journalDate}.${String(s.journal).padStart(3, "0")}`
                    : s.wdSuspended
                      ? "1"
                      : "0";
            out += `${tag ? tag[1] : ""}${value}\n`;
        }
    }
    process.stdout.write(out.replace(/\n/g, "\r\n"));
    process.exit(0);
}

module.exports = { iris };
